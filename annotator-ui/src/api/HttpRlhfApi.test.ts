import { HttpRlhfApi } from './HttpRlhfApi';
import { ApiError } from './types';

function stubFetch(response: Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => { calls.push({ url, init }); return response; });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('HTTP client', () => {
  it('asks for JSONL when exporting and reads the counts and file name from the headers', async () => {
    const calls = stubFetch(new Response('{"prompt":"p"}\n', { status: 200, headers: {
      'Content-Type': 'application/x-ndjson', 'Content-Disposition': 'attachment; filename="c-trl.jsonl"',
      'X-Exported-Pairs': '14', 'X-Pairwise-Preferences': '12', 'X-Skipped-Ties': '1', 'X-Skipped-Tied-Pairs': '3',
      'X-Skipped-Both-Bad': '2' } }));
    const r = await new HttpRlhfApi().exportJudgments('c', 'trl');
    expect((calls[0].init.headers as Record<string, string>).Accept).toContain('application/x-ndjson');
    expect(r).toMatchObject({ filename: 'c-trl.jsonl', exportedPairs: 14, skippedTies: 1, skippedTiedPairs: 3, skippedBothBad: 2 });
  });

  it('turns a problem+json answer into an ApiError with the field errors', async () => {
    stubFetch(new Response(JSON.stringify({ title: 'Bad Request', status: 400, detail: 'invalid judgment',
      errors: [{ field: 'strength', message: 'required' }] }), { status: 400, headers: { 'Content-Type': 'application/problem+json' } }));
    const e = await new HttpRlhfApi().submitJudgment('a', { idempotencyKey: 'k-12345678', timeOnTaskMs: 1 }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, message: 'invalid judgment', retryable: false, fieldErrors: [{ field: 'strength', message: 'required' }] });
  });

  it('reports an unreachable server as a retryable error and 204 from next as no task', async () => {
    vi.stubGlobal('fetch', async () => { throw new TypeError('Failed to fetch'); });
    const e = await new HttpRlhfApi().raterCampaigns().catch((x) => x);
    expect(e).toMatchObject({ status: 0, retryable: true });
    stubFetch(new Response(null, { status: 204 }));
    expect(await new HttpRlhfApi().nextTask('c')).toBeNull();
  });

  it('asks for a second lease only when prefetching', async () => {
    const calls = stubFetch(new Response(null, { status: 204 }));
    await new HttpRlhfApi().nextTask('c');
    const prefetchCalls = stubFetch(new Response(null, { status: 204 }));
    await new HttpRlhfApi().nextTask('c', true);
    expect(calls[0].url).toMatch(/\/api\/rater\/campaigns\/c\/next$/);
    expect(prefetchCalls[0].url).toMatch(/\/next\?prefetch=true$/);
  });
});
