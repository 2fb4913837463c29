#include "qr.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>

enum { QR_QUIET_ZONE = 4, QR_RUN_TEXT_MAX = 40 };

char *qr_svg(const char *text, size_t *len)
{
	QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	char *svg = NULL;
	size_t size, used = 0;
	int n;

	if (code == NULL)
		return NULL;
	int width = code->width;
	int side = width + 2 * QR_QUIET_ZONE;
	/* At most one run per two modules in a row, each at most QR_RUN_TEXT_MAX bytes. */
	size = (size_t)width * (size_t)(width / 2 + 1) * QR_RUN_TEXT_MAX + 512;
	svg = malloc(size);
	if (svg == NULL)
		goto out;

	used = (size_t)snprintf(svg, size,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		"<path fill=\"#000\" d=\"", side, side, side, side);
	for (int y = 0; y < width; y++) {
		const unsigned char *row = code->data + (size_t)y * (size_t)width;
		for (int x = 0; x < width;) {
			/* Bit 0 of each byte is the module's colour (1 = dark). */
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < width && (row[x + run] & 1))
				run++;
			n = snprintf(svg + used, size - used, "M%d %dh%dv1h-%dz",
				     x + QR_QUIET_ZONE, y + QR_QUIET_ZONE, run, run);
			used += (size_t)n;
			x += run;
		}
	}
	n = snprintf(svg + used, size - used, "\"/></svg>\n");
	used += (size_t)n;
	*len = used;
out:
	QRcode_free(code);
	return svg;
}
