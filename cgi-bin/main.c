/*
 * The main of every program: mk/backend.mk compiles this file once per
 * program with -DPROGRAM=<name>_program and links it with cgi-bin/<name>.c.
 */
#include "app.h"

#ifndef PROGRAM
#error "compile with -DPROGRAM=<name>_program (see mk/backend.mk)"
#endif

extern const struct program PROGRAM;

int main(void)
{
	return app_run(&PROGRAM);
}
