/**
 * Dot products and squared distances between d-long rows of row-major matrices. Four running sums instead
 * of one: a single sum waits on the latency of each addition, four keep the adder busy (about twice as
 * fast in V8 for the 50-d rows k-means sees).
 */

/** x·y for the rows at `ao` in `a` and `bo` in `b`. */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (const end = d - 3; j < end; j += 4) {
    s0 += a[ao + j] * b[bo + j];
    s1 += a[ao + j + 1] * b[bo + j + 1];
    s2 += a[ao + j + 2] * b[bo + j + 2];
    s3 += a[ao + j + 3] * b[bo + j + 3];
  }
  for (; j < d; j++) s0 += a[ao + j] * b[bo + j];
  return s0 + s1 + (s2 + s3);
}

/** |x - y|² for the rows at `ao` in `a` and `bo` in `b`. */
export function squaredDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (const end = d - 3; j < end; j += 4) {
    const e0 = a[ao + j] - b[bo + j];
    const e1 = a[ao + j + 1] - b[bo + j + 1];
    const e2 = a[ao + j + 2] - b[bo + j + 2];
    const e3 = a[ao + j + 3] - b[bo + j + 3];
    s0 += e0 * e0;
    s1 += e1 * e1;
    s2 += e2 * e2;
    s3 += e3 * e3;
  }
  for (; j < d; j++) {
    const e = a[ao + j] - b[bo + j];
    s0 += e * e;
  }
  return s0 + s1 + (s2 + s3);
}
