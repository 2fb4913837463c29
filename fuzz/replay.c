/*
 * replay: runs a fuzz target's LLVMFuzzerTestOneInput over files, without
 * libFuzzer, so `make test` replays the seed corpus and every crash found
 * (fuzz/regressions/) with the ordinary compiler.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *file = fopen(argv[i], "rb");
		uint8_t *data;
		long size;

		if (file == NULL || fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		rewind(file);
		data = malloc((size_t)size + 1);
		if (data == NULL || fread(data, 1, (size_t)size, file) != (size_t)size) {
			fprintf(stderr, "replay: cannot read %s\n", argv[i]);
			return 1;
		}
		fclose(file);
		LLVMFuzzerTestOneInput(data, (size_t)size);
		free(data);
	}
	printf("replay: %d inputs\n", argc - 1);
	return 0;
}
