/*
 * programs: every program of cgi-bin/, for the code that checks them all.
 *
 * Each cgi-bin/<name>.c defines <name>_program: its route table and
 * handlers. cgi-bin/main.c is each program's main, compiled once per
 * program. mk/backend.mk generates program_list from PROGRAM_NAMES, so the
 * unit tests and the fuzz targets run the real tables, every one of them.
 */
#ifndef MEET_PROGRAMS_H
#define MEET_PROGRAMS_H

#include "app.h"

/* &rooms_program, &members_program, ..., then NULL. */
extern const struct program *const program_list[];

#endif
