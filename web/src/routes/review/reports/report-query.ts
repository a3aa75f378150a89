import { graphql, type ResultOf } from '$lib/graphql/graphql';

/** Every committee report the viewer may read (members: theirs; admins: all). */
export const DacReports = graphql(`
  query DacReports { dacReports { dacId dacName total turnaround { decided medianDays meanDays
  maxDays } months { month received approved rejected open closed } categories { category
  approved rejected open closed } } }
`);

/** One committee's report as the page and the CSV read it. */
export type DacReportData = ResultOf<typeof DacReports>['dacReports'][number];
