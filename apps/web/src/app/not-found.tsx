import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="signin-page">
      <div className="signin-box card">
        <div className="state" data-testid="page-not-found">
          <h2>Page not found</h2>
          <p>There is nothing at this address.</p>
          <Link href="/blueprints">Go to blueprints</Link>
        </div>
      </div>
    </main>
  );
}
