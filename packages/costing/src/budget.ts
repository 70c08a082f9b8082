/** A project's budget: monthly amount (USD) and its thresholds, in percent of the amount. */
export interface TBudget {
  amount: number;
  warnPercent: number;
  alertPercent: number;
}

/**
 * The highest threshold a projected monthly total crosses, or null. Warn at `warnPercent` (90 by default), alert at
 * `alertPercent` (100): a total at exactly the threshold crosses it.
 */
export function budgetLevel(projected: number, b: TBudget): 'warn' | 'alert' | null {
  const used = b.amount === 0 ? (projected > 0 ? Infinity : 0) : (projected / b.amount) * 100;
  if (used >= b.alertPercent) return 'alert';
  if (used >= b.warnPercent) return 'warn';
  return null;
}

/** How much of the budget a total uses, in percent (two decimals). */
export const budgetUse = (projected: number, b: TBudget) => (b.amount === 0 ? null : Math.round((projected / b.amount) * 10000) / 100);
