export function CampaignPage(_: { campaignId?: string | null }) {
  return <main className="page"><h1>CampaignPage</h1></main>;
}
