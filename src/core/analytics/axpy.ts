/**
 * y[yo .. yo+len) += a · x[xo .. xo+len): the inner loop of every sparse×dense product and of the LU
 * normalisation. Unrolled by four, which V8 runs about a third faster than the plain loop (it does not
 * vectorise either); small enough to be inlined at each call.
 */
export function axpy(y: Float64Array, yo: number, a: number, x: Float64Array, xo: number, len: number): void {
  let c = 0;
  for (const end = len - 3; c < end; c += 4) {
    y[yo + c] += a * x[xo + c];
    y[yo + c + 1] += a * x[xo + c + 1];
    y[yo + c + 2] += a * x[xo + c + 2];
    y[yo + c + 3] += a * x[xo + c + 3];
  }
  for (; c < len; c++) y[yo + c] += a * x[xo + c];
}
