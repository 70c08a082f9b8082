'use client';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorCode } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc/client';
import { ErrorState, SkeletonBlock } from '../ui/states';
import { PlatformFigures } from './platform-figures';
import { TenantFigures } from './tenant-figures';

const PLATFORM_REFRESH_MS = 2000;
const TENANT_REFRESH_MS = 10_000;

/** Stop asking once the services said no: the answer will not change until the user's roles do. */
const refreshEvery = (ms: number) => (query: { state: { error: unknown } }) => (errorCode(query.state.error) === 'FORBIDDEN' ? false : ms);

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1) + (s.endsWith('.') ? '' : '.');

/**
 * The System page: the signed-in user's own tenant first, then the platform. Each part is shown only to roles the
 * services allow, and a refusal shows the services' own reason, which names the permission and who holds it.
 */
export function SystemPanels() {
  const trpc = useTRPC();
  const tenant = useQuery(trpc.monitoring.tenant.queryOptions(undefined, { staleTime: 0, refetchInterval: refreshEvery(TENANT_REFRESH_MS), retry: false }));
  const platform = useQuery(trpc.monitoring.system.queryOptions(undefined, { staleTime: 0, refetchInterval: refreshEvery(PLATFORM_REFRESH_MS), retry: false }));
  const platformData = platform.data;

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>System</h1>
          <div className="subtitle">Your tenant&apos;s own figures, and the platform&apos;s as one services process sees them.</div>
        </div>
      </div>

      {tenant.isError && errorCode(tenant.error) === 'FORBIDDEN' ? (
        <Refusal testId="tenant-forbidden" title="Your roles may not see this tenant's figures." reason={tenant.error.message} />
      ) : tenant.isError && !tenant.data ? (
        <ErrorState error={tenant.error} title="Could not load your tenant's figures" />
      ) : !tenant.data ? (
        <div className="card card-body">
          <SkeletonBlock lines={3} />
        </div>
      ) : (
        <TenantFigures data={tenant.data} />
      )}

      <section className="stack" aria-labelledby="platform-title" data-testid="platform">
        <div className="page-header" style={{ marginBottom: 0 }}>
          <div>
            <h2 id="platform-title">Platform</h2>
            <div className="subtitle small">
              Every tenant&apos;s traffic: requests over the last 10 s, database pools and caches of this services process. Refreshes every{' '}
              {PLATFORM_REFRESH_MS / 1000} s.
            </div>
          </div>
          {platformData && (
            <div className="row small muted">
              <span className={`badge ${platform.isError ? 'badge-bad' : 'badge-ok'}`}>{platform.isError ? '● stale' : platform.isFetching ? '● refreshing' : '● live'}</span>
              Last updated <strong data-testid="last-updated">{formatTime(platformData.at)}</strong> UTC
            </div>
          )}
        </div>
        {platform.isError && errorCode(platform.error) === 'FORBIDDEN' ? (
          <Refusal testId="platform-forbidden" title="Platform figures are not shown to your roles." reason={platform.error.message} />
        ) : (
          <>
            {platform.isError && <ErrorState error={platform.error} title={platformData ? 'Refresh failed; showing the last figures' : 'Could not load platform figures'} />}
            {platformData ? (
              <PlatformFigures data={platformData} />
            ) : (
              !platform.isError && (
                <div className="card card-body">
                  <SkeletonBlock lines={6} />
                </div>
              )
            )}
          </>
        )}
      </section>
    </div>
  );
}

function Refusal({ testId, title, reason }: { testId: string; title: ReactNode; reason: string }) {
  return (
    <div className="alert alert-warning" data-testid={testId}>
      <strong>{title}</strong>
      <div>{sentence(reason)}</div>
    </div>
  );
}
