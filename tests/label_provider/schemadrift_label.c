/*
 * schemadrift_label: a security label provider for the tests, and nothing
 * else. PostgreSQL keeps security labels only for a provider a loaded module
 * registers (commands/seclabel.c); the real ones (PostgreSQL Anonymizer's
 * `anon`, `pgsodium`, sepgsql, which registers nothing without SELinux) are
 * not on the test machines, so this one stands in for them: it accepts
 * every label on every object but one spelled 'invalid', so a refusal can
 * be tested too.
 *
 * Loaded with shared_preload_libraries (scripts/lib/labels.sh builds it per
 * major version and scripts/test.sh preloads it on every cluster it starts).
 * PostgreSQL 13 has no published server headers here: it is built against
 * 14's with 13's magic block (SD_PG_MAJOR=13), which holds the same fields
 * (fmgr.h's Pg_magic_struct is unchanged from 9.x to 17), and
 * register_label_provider has kept its signature from 9.1 to 18.
 */
#include "postgres.h"

#include "commands/seclabel.h"
#include "fmgr.h"

#if defined(SD_PG_MAJOR) && SD_PG_MAJOR < PG_VERSION_NUM / 10000
#undef PG_VERSION_NUM
#define PG_VERSION_NUM (SD_PG_MAJOR * 10000)
/*
 * 14's ereport calls errstart_cold for errors, which 13 has not; and 14
 * numbered the levels anew (WARNING_CLIENT_ONLY came in as 20): 13's
 * ERROR is 20, where 14's headers say 21 (13's FATAL).
 */
#if SD_PG_MAJOR < 14
#define errstart_cold errstart
#undef ERROR
#define ERROR 20
#endif
#endif

PG_MODULE_MAGIC;

void _PG_init(void);

static void
schemadrift_label_check(const ObjectAddress *object, const char *seclabel)
{
	if (seclabel != NULL && strcmp(seclabel, "invalid") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schemadrift_test refuses the label \"%s\"", seclabel)));
}

void
_PG_init(void)
{
	register_label_provider("schemadrift_test", schemadrift_label_check);
}
