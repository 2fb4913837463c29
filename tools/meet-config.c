/*
 * meet-config: the settings as the programs resolve them (environment, then
 * the .env file, then the defaults: lib/config.c), for scripts/run.sh.
 *
 *   meet-config                    NAME='value' lines, shell-quoted; never
 *                                  the API key
 *   meet-config --default NAME     the default of one setting
 *   meet-config --exec CMD [ARG]   runs CMD with every setting, the API key
 *                                  too, in its environment
 *
 * Exits 2 with the reason on stderr when the configuration is refused (or
 * the usage is wrong), and 127 when CMD cannot be run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static int usage(void)
{
	fprintf(stderr, "usage: meet-config [--default NAME | --exec COMMAND [ARGUMENT...]]\n");
	return 2;
}

static int print_default(const char *name)
{
	const char *value = config_default(name);

	if (value == NULL) {
		fprintf(stderr, "meet-config: no setting is called '%s'\n", name);
		return 2;
	}
	printf("%s\n", value);
	return 0;
}

int main(int argc, char **argv)
{
	struct config config;
	char problem[512];

	if (argc == 3 && strcmp(argv[1], "--default") == 0)
		return print_default(argv[2]);
	if (argc != 1 && !(argc >= 3 && strcmp(argv[1], "--exec") == 0))
		return usage();

	if (config_load(&config, NULL, problem, sizeof problem) != 0) {
		fprintf(stderr, "meet-config: %s\n", problem);
		return 2;
	}
	if (argc == 1) {
		if (config_write_shell(&config, stdout) != 0) {
			perror("meet-config");
			return 1;
		}
		return 0;
	}
	if (config_export(&config) != 0) {
		perror("meet-config");
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "meet-config: cannot run %s: %s\n", argv[2], strerror(errno));
	return 127;
}
