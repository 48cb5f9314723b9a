/*
 * monitor_extract.c — the extract layout of si_monitor: DIR holds one
 * directory per extract date, named YYYY-MM-DD; the newest valid date is
 * loaded. A missing or unreadable DIR, or one without any date directory,
 * is a configuration error (exit 2); a missing file inside the date
 * directory is a rejected extract (exit 1): the delivery is incomplete.
 *
 * Reads the file system only; no database work here.
 */
#include "si_monitor.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "YYYY-MM-DD" naming a real calendar date? */
static bool
is_date_name(const char *s)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			y,
				mo,
				d,
				i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	mo = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return false;
	if (mo == 2 && d == 29)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return true;
}

void
mon_find_extract(Monitor *m)
{
	DIR		   *dir;
	struct dirent *de;
	char		best[11] = "";
	struct stat st;
	SiBuf		b;
	int			i;

	if (stat(m->extract_root, &st) != 0)
		mon_config_error("--extract %s: %s", m->extract_root, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		mon_config_error("--extract %s is not a directory", m->extract_root);
	if ((dir = opendir(m->extract_root)) == NULL)
		mon_config_error("cannot read the extract directory %s: %s", m->extract_root, strerror(errno));
	buf_init(&b);
	while ((de = readdir(dir)) != NULL)
	{
		if (!is_date_name(de->d_name) || strcmp(de->d_name, best) <= 0)
			continue;
		buf_reset(&b);
		buf_printf(&b, "%s/%s", m->extract_root, de->d_name);
		if (stat(b.data, &st) == 0 && S_ISDIR(st.st_mode))
			memcpy(best, de->d_name, sizeof(best));
	}
	closedir(dir);
	if (best[0] == '\0')
		mon_config_error("the extract directory %s has no extract: no directory named after its date (YYYY-MM-DD, e.g. %s/2024-03-31/)",
						 m->extract_root, m->extract_root);
	memcpy(m->extract_date, best, sizeof(best));
	buf_reset(&b);
	buf_printf(&b, "%s/%s", m->extract_root, best);
	m->extract_dir = b.data;

	/* every file the extract must have is there and readable */
	for (i = -1; i < mon_ntables; i++)
	{
		const char *name = i < 0 ? "dream" : mon_tables[i].name;
		char	   *path = mon_extract_file(m, name);

		if (access(path, R_OK) != 0 && (i < 0 || !mon_tables[i].optional || errno != ENOENT))
			mon_reject_exit("the extract %s is incomplete: %s: %s", m->extract_dir, path, strerror(errno));
		free(path);
	}
}

/* DIR/<date>/<name>.csv, malloc'd. */
char *
mon_extract_file(const Monitor *m, const char *name)
{
	SiBuf		b;

	buf_init(&b);
	buf_printf(&b, "%s/%s.csv", m->extract_dir, name);
	return b.data;
}
