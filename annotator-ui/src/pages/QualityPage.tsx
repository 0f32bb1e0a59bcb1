export function QualityPage(_: { campaignId?: string | null }) {
  return <main className="page"><h1>QualityPage</h1></main>;
}
