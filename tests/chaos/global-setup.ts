import { writeReport } from './report.js';

/** After the chaos run, docs/RELIABILITY.md is rewritten from every recorded scenario result. */
export default function setup(): () => void {
  return () => {
    const path = writeReport();
    process.stdout.write(`chaos: wrote ${path}\n`);
  };
}
