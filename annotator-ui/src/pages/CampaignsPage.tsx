export function CampaignsPage(_: { campaignId?: string | null }) {
  return <main className="page"><h1>CampaignsPage</h1></main>;
}
