// The course's rules (issue 25): deadlines, late policies, slip days and extensions applied to a
// learner's graded submissions — which one counts and what it is worth — and the calendar's words.
// May import: store/.
export { windowAt, windowOf, type Window } from "./standing";
export { countedGradebook, learnerCounting, type CountedRow, type CountingScore } from "./counting";
export { deadlineLine, isoMinute, parseTime, policyText, span } from "./times";
