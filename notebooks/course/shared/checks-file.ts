// Where a notebook's public checks are, under notebooks/checks/: the course's shared notebook reads
// <section>.json, a learner's own (a variant of its numbers) <section>.<variant code>.json. The
// notebook's checker and the grader's builder both name the file here.
export const checksFileName = (section: string, variant?: string): string =>
  `${section}${variant ? `.${variant}` : ""}.json`;
