#!/usr/bin/env bash
# `npm test`: local stack up, clean database, migrate + seed, vitest (projects unit, int), Playwright (e2e), the
# load scenarios (baseline, stress, spike) in their quick forms with their thresholds (load), then one summary. The LAST line printed is always `N passed, N failed, N skipped`; exit code is non-zero
# if anything failed. TEST_SUITES=static,unit,int,e2e,load selects a subset (default: all). KEEP_STACK=1 leaves it running.
set -uo pipefail
# shellcheck source=lib/stack-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/stack-env.sh"
cd "$REPO_ROOT"

export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
REPORTS="$STACK_DIR/reports"
VITEST_JSON="$REPORTS/vitest.json"
PLAYWRIGHT_JSON="$REPORTS/playwright.json"
LOAD_SCENARIOS=(baseline stress spike)

TEST_SUITES="${TEST_SUITES:-static,unit,int,e2e,load}"
want() { [[ ",${TEST_SUITES// /}," == *",$1,"* ]]; }
for s in ${TEST_SUITES//,/ }; do
  case "$s" in static|unit|int|e2e|load) ;; *) echo "test-all: unknown suite '$s' in TEST_SUITES (use static,unit,int,e2e,load)" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 2 ;; esac
done

step() { printf '\n==> %s\n' "$*"; }
# Results: one "kind|name|report|exit code" entry per suite or failed setup step, summed by node at the end.
RESULTS=()
SETUP_FAILED=''
setup_fail() { echo "test-all: FAILED: $1" >&2; RESULTS+=("setup|$1||1"); SETUP_FAILED=1; }

STACK_STARTED=''
BOUNCER_PAUSED=''
cleanup() {
  if [[ -n "$BOUNCER_PAUSED" ]]; then
    psql -X -q "$PGBOUNCER_ADMIN_URL" -c "RESUME $DB_NAME" >/dev/null 2>&1 || true
    BOUNCER_PAUSED=''
  fi
  if [[ -n "$STACK_STARTED" && -z "${KEEP_STACK:-}" ]]; then
    step "stopping the stack (data kept in .stack/)"
    bash scripts/stack-down.sh || echo "test-all: stack-down reported a problem" >&2
  fi
  STACK_STARTED=''
}
trap cleanup EXIT
trap 'echo "test-all: interrupted" >&2; exit 130' INT TERM

# ------------------------------------------------------------------ 1. prerequisites
step "prerequisites"
pkgs=(postgresql pgbouncer redis-server prometheus)
want e2e && pkgs+=(chromium)
( ensure_packages "${pkgs[@]}" ) || setup_fail "install Debian packages: ${pkgs[*]}"
if [[ -z "$SETUP_FAILED" && ! -x node_modules/.bin/vitest ]]; then
  echo "node_modules missing: installing"
  npm install --no-audit --no-fund || setup_fail "npm install"
fi

# ------------------------------------------------------------------ 2. stack
if [[ -z "$SETUP_FAILED" ]]; then
  step "stack up"
  STACK_STARTED=1
  if bash scripts/stack-up.sh; then
    set -a; . "$ENV_FILE"; set +a
  else
    setup_fail "stack-up (scripts/stack-up.sh)"
  fi
fi

# ------------------------------------------------------------------ 3. clean database
# PgBouncer: KILL drops its client and server connections to dharma and holds new ones until RESUME;
# Postgres: DROP ... WITH (FORCE) terminates whatever else is connected. Bootstrap recreates roles + database.
reset_db() {
  local q=(psql -X -q -v ON_ERROR_STOP=1)
  "${q[@]}" "$PGBOUNCER_ADMIN_URL" -c "KILL $DB_NAME" >/dev/null || return 1
  BOUNCER_PAUSED=1
  "${q[@]}" "$DATABASE_ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" || return 1
  ( set -a; . "$SECRETS_FILE"; set +a
    DB_NAME="$DB_NAME" node_modules/.bin/tsx packages/db/src/cli/bootstrap.ts ) || return 1
  "${q[@]}" "$PGBOUNCER_ADMIN_URL" -c "RESUME $DB_NAME" >/dev/null || return 1
  BOUNCER_PAUSED=''
  [[ "$(PGCONNECT_TIMEOUT=10 timeout 20 psql -X -Atc 'select 1' "$DATABASE_URL")" == 1 ]]
}
if [[ -z "$SETUP_FAILED" ]]; then
  step "reset database $DB_NAME"
  reset_db || setup_fail "database reset (drop + bootstrap)"
fi

# ------------------------------------------------------------------ 4. migrate + seed
if [[ -z "$SETUP_FAILED" ]]; then
  step "migrate"
  npm run --silent db:migrate || setup_fail "npm run db:migrate"
fi
if [[ -z "$SETUP_FAILED" ]]; then
  step "seed"
  npm run --silent db:seed || setup_fail "npm run db:seed"
fi

# ------------------------------------------------------------------ 5. static checks (types, lint)
if [[ -z "$SETUP_FAILED" ]] && want static; then
  step "typecheck"
  npm run --silent typecheck
  RESULTS+=("check|typecheck (tsc, every workspace)||$?")
  step "lint"
  npx --no-install eslint .
  RESULTS+=("check|lint (eslint)||$?")
fi

# ------------------------------------------------------------------ 5b. vitest (unit + int)
mkdir -p "$REPORTS"
vitest_sel=()
want unit && vitest_sel+=(unit)
want int && vitest_sel+=(int)
if [[ -z "$SETUP_FAILED" && ${#vitest_sel[@]} -gt 0 ]]; then
  vitest_label="$(IFS=,; echo "${vitest_sel[*]}")"
  step "vitest ($vitest_label)"
  rm -f "$VITEST_JSON"
  npx --no-install vitest run $(printf -- "--project %s " "${vitest_sel[@]}") --reporter=default --reporter=json --outputFile.json="$VITEST_JSON"
  RESULTS+=("vitest|vitest (${vitest_label})|$VITEST_JSON|$?")
fi

# ------------------------------------------------------------------ 6. Playwright (e2e)
if [[ -z "$SETUP_FAILED" ]] && want e2e; then
  step "playwright (e2e)"
  rm -f "$PLAYWRIGHT_JSON"
  PLAYWRIGHT_JSON_OUTPUT_FILE="$PLAYWRIGHT_JSON" PLAYWRIGHT_JSON_OUTPUT_NAME="$PLAYWRIGHT_JSON" \
    npx --no-install playwright test -c apps/web/playwright.config.ts --reporter=list,json
  RESULTS+=("playwright|playwright (e2e)|$PLAYWRIGHT_JSON|$?")
fi

# ------------------------------------------------------------------ 6b. load: each scenario --quick against its thresholds
# The same scenarios, mixes, think times and thresholds as `npm run load -- <scenario>`, shortened (load/scenarios.json,
# node.quick): baseline, stress (the v2.0 targets) and spike (a jump to 300 VUs and back). Each threshold counts as one test.
if [[ -z "$SETUP_FAILED" ]] && want load; then
  for scenario in "${LOAD_SCENARIOS[@]}"; do
    step "load ($scenario --quick)"
    json="$REPORTS/load-$scenario-quick.json"
    rm -f "$json"
    npm run --silent load -- "$scenario" --quick --json "$json"
    RESULTS+=("load|load $scenario --quick (thresholds)|$json|$?")
  done
fi

# ------------------------------------------------------------------ 7. stop the stack, then the summary
cleanup
trap - EXIT
step "summary"
node - "${RESULTS[@]}" <<'JS'
const fs = require('fs');
let passed = 0, failed = 0, skipped = 0;
const failures = [];
for (const entry of process.argv.slice(2)) {
  const [kind, name, report, code] = entry.split('|');
  const exit = Number(code);
  if (kind === 'setup') { failed += 1; failures.push(name); console.log(`${name}: FAILED (suites not run)`); continue; }
  if (kind === 'check') {
    if (exit === 0) { passed += 1; console.log(`${name}: passed`); } else { failed += 1; failures.push(name); console.log(`${name}: FAILED (exit ${exit})`); }
    continue;
  }
  let p = 0, f = 0, s = 0, note = '';
  try {
    const j = JSON.parse(fs.readFileSync(report, 'utf8'));
    if (kind === 'vitest') {
      p = j.numPassedTests ?? 0; f = j.numFailedTests ?? 0; s = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    } else if (kind === 'load') {
      const t = j.thresholds ?? [];
      p = t.filter((x) => x.passed).length; f = t.filter((x) => !x.passed).length;
      if (t.length === 0) { f = 1; note = ' (the report has no thresholds: counted as 1 failure)'; }
      for (const x of t) console.log(`  ${x.passed ? 'passed' : 'FAILED'}: ${x.name} (measured ${x.value})`);
    } else {
      const st = j.stats ?? {};
      p = st.expected ?? 0; f = (st.unexpected ?? 0) + (st.flaky ?? 0); s = st.skipped ?? 0;
    }
    if (exit !== 0 && f === 0) { f = 1; note = ` (runner exited ${exit} with no failed test: counted as 1 failure)`; }
  } catch (e) {
    f = 1; note = ` (no readable report at ${report}, runner exit ${exit}: counted as 1 failure)`;
  }
  if (f > 0) failures.push(name);
  passed += p; failed += f; skipped += s;
  console.log(`${name}: ${p} passed, ${f} failed, ${s} skipped${note}`);
}
if (failures.length) console.log(`failed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
JS
