import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { TExecutor } from '../client';
import { DomainError, notFound } from '../errors';
import { projects } from '../schema/projects';
import { teamMembers, teams, users } from '../schema/tenancy';
import { recordEvent } from './audit';

/** The tenant's teams with their members and projects: what team scope is decided on. */
export async function listTeams(tx: TExecutor, { tenantId }: { tenantId: string }) {
  return tx
    .select({
      id: teams.id,
      name: teams.name,
      members: sql<{ id: string; email: string; name: string }[]>`coalesce((select jsonb_agg(jsonb_build_object('id', u.id, 'email', u.email, 'name', u.name) order by u.email) from ${teamMembers} m join ${users} u on u.id = m.user_id where m.tenant_id = "teams"."tenant_id" and m.team_id = "teams"."id"), '[]'::jsonb)`,
      projects: sql<{ id: string; name: string }[]>`coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name) order by p.name) from ${projects} p where p.tenant_id = "teams"."tenant_id" and p.team_id = "teams"."id"), '[]'::jsonb)`,
    })
    .from(teams)
    .where(eq(teams.tenantId, tenantId))
    .orderBy(asc(teams.name));
}

/** Creates a team; one audit event. */
export async function createTeam(tx: TExecutor, a: { tenantId: string; name: string }) {
  const [row] = await tx.insert(teams).values({ tenantId: a.tenantId, name: a.name }).onConflictDoNothing().returning({ id: teams.id });
  if (!row) throw new DomainError('CONFLICT', `a team named "${a.name}" already exists`, 'name');
  await recordEvent(tx, { action: 'team.create', targetType: 'team', targetId: row.id, after: { name: a.name } });
  return row;
}

async function teamOrThrow(tx: TExecutor, tenantId: string, id: string) {
  const [team] = await tx.select({ id: teams.id, name: teams.name }).from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, id)));
  if (!team) throw notFound('team', 'teamId');
  return team;
}

/** Sets a team's members to exactly `userIds` (people of the tenant); one audit event with who joined and left. */
export async function setTeamMembers(tx: TExecutor, a: { tenantId: string; teamId: string; userIds: string[] }) {
  await teamOrThrow(tx, a.tenantId, a.teamId);
  const wanted = [...new Set(a.userIds)];
  const found = wanted.length === 0 ? [] : await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, a.tenantId), inArray(users.id, wanted)));
  const missing = wanted.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) throw new DomainError('BAD_REQUEST', `no user ${missing[0]} in this tenant`, 'userIds');
  const before = (await tx.select({ userId: teamMembers.userId }).from(teamMembers).where(and(eq(teamMembers.tenantId, a.tenantId), eq(teamMembers.teamId, a.teamId)))).map((r) => r.userId);
  await tx.delete(teamMembers).where(and(eq(teamMembers.tenantId, a.tenantId), eq(teamMembers.teamId, a.teamId)));
  if (wanted.length > 0) await tx.insert(teamMembers).values(wanted.map((userId) => ({ tenantId: a.tenantId, teamId: a.teamId, userId })));
  await recordEvent(tx, { action: 'team.set_members', targetType: 'team', targetId: a.teamId, before: { members: before.sort() }, after: { members: wanted.sort() } });
  return { changed: [...new Set([...before, ...wanted])].filter((id) => before.includes(id) !== wanted.includes(id)) };
}

/** Puts a project in a team (or in none); one audit event. */
export async function setProjectTeam(tx: TExecutor, a: { tenantId: string; projectId: string; teamId: string | null }) {
  if (a.teamId) await teamOrThrow(tx, a.tenantId, a.teamId);
  const [prior] = await tx.select({ teamId: projects.teamId }).from(projects).where(and(eq(projects.tenantId, a.tenantId), eq(projects.id, a.projectId)));
  if (!prior) throw notFound('project', 'projectId');
  await tx.update(projects).set({ teamId: a.teamId }).where(and(eq(projects.tenantId, a.tenantId), eq(projects.id, a.projectId)));
  await recordEvent(tx, { action: 'project.set_team', targetType: 'project', targetId: a.projectId, before: { teamId: prior.teamId }, after: { teamId: a.teamId } });
}

/** Deletes a team: its members leave it and its projects belong to no team. One audit event. */
export async function deleteTeam(tx: TExecutor, a: { tenantId: string; teamId: string }) {
  const team = await teamOrThrow(tx, a.tenantId, a.teamId);
  await tx.delete(teams).where(and(eq(teams.tenantId, a.tenantId), eq(teams.id, a.teamId)));
  await recordEvent(tx, { action: 'team.delete', targetType: 'team', targetId: a.teamId, before: { name: team.name } });
}
