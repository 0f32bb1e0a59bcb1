export function UsersPage(_: { campaignId?: string | null }) {
  return <main className="page"><h1>UsersPage</h1></main>;
}
