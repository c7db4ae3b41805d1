// A node:test reporter that emits one JSON line of totals (tests only, not suites), written to the
// file given as its --test-reporter-destination, for the total line of `npm test`.
export default async function* countingReporter(source) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo } = event.data;
    if (details?.type === 'suite') {
      // A suite fails on its own only when its hooks fail: count that, since no test reports it.
      if (event.type === 'test:fail' && details.error?.failureType === 'hookFailed') totals.failed += 1;
      continue;
    }
    if (skip || todo) totals.skipped += 1;
    else if (event.type === 'test:pass') totals.passed += 1;
    else totals.failed += 1;
  }
  yield `${JSON.stringify(totals)}\n`;
}
