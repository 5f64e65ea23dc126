/* Line splitting for the glossary's TSV readers (gl_int.h). */
#include "glossary/gl_int.h"

#include <string.h>

void gl_lines_init(struct gl_lines *l, char *text)
{
	l->p = strncmp(text, "\xef\xbb\xbf", 3) == 0 ? text + 3 : text;
	l->line = 0;
}

char *gl_lines_next(struct gl_lines *l, size_t *len)
{
	char *s = l->p, *nl;
	size_t n;

	if (!*s)
		return NULL;
	l->line++;
	if ((nl = strchr(s, '\n'))) {
		*nl = '\0';
		l->p = nl + 1;
	} else {
		l->p = s + strlen(s);
	}
	n = strlen(s);
	if (n && s[n - 1] == '\r')
		s[--n] = '\0';
	*len = n;
	return s;
}
