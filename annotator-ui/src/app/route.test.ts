import { href, parseRoute } from './route';

describe('hash routes', () => {
  it('round-trips every link the app makes', () => {
    expect(parseRoute(href.home)).toEqual({ name: 'home' });
    expect(parseRoute(href.judge('c/1'))).toEqual({ name: 'judge', campaignId: 'c/1' });
    expect(parseRoute(href.campaign('c1'))).toEqual({ name: 'campaign', campaignId: 'c1' });
    expect(parseRoute(href.quality('c1'))).toEqual({ name: 'quality', campaignId: 'c1' });
    expect(parseRoute(href.newCampaign)).toEqual({ name: 'newCampaign' });
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/nope')).toEqual({ name: 'notFound', path: '/nope' });
  });
});
