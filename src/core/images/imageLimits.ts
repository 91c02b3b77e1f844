/** Limits on every image read and decode, so that a hostile file cannot exhaust memory. */

/** Largest image file read whole (bytes). */
export const MAX_IMAGE_BYTES = 512 * 1024 * 1024;

/**
 * Most pixels one decode may have (width × height, before any resize): 16384 × 16384. Larger
 * headers are refused before a pixel is decoded (libvips checks its limitInputPixels up front),
 * so a small "decompression bomb" file cannot claim gigabytes.
 */
export const MAX_IMAGE_PIXELS = 16384 * 16384;
