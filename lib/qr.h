/*
 * qr: QR codes as SVG images, made with libqrencode.
 */
#ifndef MEET_QR_H
#define MEET_QR_H

#include <stddef.h>

/*
 * An SVG image of the QR code (error correction level M, 4-module quiet
 * zone) encoding text. Returns NULL when text cannot be encoded (too long)
 * or memory runs out. Caller frees with free(); *len is the byte length.
 */
char *qr_svg(const char *text, size_t *len);

#endif
