/* pgsim: scenario loader, part 2 — the node tree checked against a schema.
 *
 * Fixed top-level keys (name, arch and its options, untyped, vspace,
 * objects, steps) are checked here; a step's operation keys and its
 * `expect` keys come from the schema the caller passes (the engine's op
 * table), so adding an operation never touches the loader.  Every problem
 * is reported with the position of the offending key or value; the check
 * goes on after an error so that one run shows all of them.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "scenario_impl.h"


/* ---- scalars -------------------------------------------------------------- */

bool pgsim_scn_parse_num(const char *s, uint64_t *v)
{
	return pgsim_parse_u64(s, true, v) == 0;
}

/* seL4_CapRights_t: bit0 write, bit1 read, bit2 grant, bit3 grant reply
 * (spec 1.3).  'x' is accepted and ignored: seL4 rights words have no
 * execute right (execute-never is a VM attribute). */
bool pgsim_scn_parse_rights(const char *s, uint64_t *v)
{
	static const struct { const char *name; uint64_t bits; } presets[] = {
		{ "seL4_AllRights", 0xf }, { "all", 0xf },
		{ "seL4_ReadWrite", 0x3 },
		{ "seL4_CanRead", 0x2 }, { "seL4_CanWrite", 0x1 },
		{ "seL4_CanGrant", 0x4 }, { "seL4_CanGrantReply", 0x8 },
		{ "seL4_NoRights", 0x0 }, { "none", 0x0 },
	};
	uint64_t bits = 0;

	if (isdigit((unsigned char)s[0]))
		return pgsim_scn_parse_num(s, v) && *v <= 0xf;
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcasecmp(s, presets[i].name) == 0) {
			*v = presets[i].bits;
			return true;
		}
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		uint64_t bit;

		switch (*s) {
		case 'r': bit = 0x2; break;
		case 'w': bit = 0x1; break;
		case 'g': bit = 0x4; break;
		case 'x': bit = 0x10; break;  /* tracked only to refuse "xx" */
		case '-': continue;
		default: return false;
		}
		if (bits & bit)
			return false;
		bits |= bit;
	}
	*v = bits & 0xf;
	return true;
}

static bool parse_bool(const char *s, bool *b)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };

	for (int i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*b = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*b = false;
			return true;
		}
	}
	return false;
}

/* ---- did you mean --------------------------------------------------------- */

static unsigned edit_distance(const char *a, const char *b)
{
	unsigned row[64], la = (unsigned)strlen(a), lb = (unsigned)strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (unsigned j = 0; j <= lb; j++)
		row[j] = j;
	for (unsigned i = 1; i <= la; i++) {
		unsigned diag = row[0];

		row[0] = i;
		for (unsigned j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned cost = tolower((unsigned char)a[i - 1]) !=
					tolower((unsigned char)b[j - 1]);
			unsigned best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *pgsim_scn_suggest(const char *word, const char *const *cands, unsigned n)
{
	const char *best = NULL;
	unsigned best_d = 99, len = (unsigned)strlen(word);
	/* a third of the word's length, at least 1 and at most 3 edits */
	unsigned limit = len / 3 < 1 ? 1 : (len / 3 > 3 ? 3 : len / 3);

	for (unsigned i = 0; i < n; i++) {
		unsigned d;

		if (!cands[i])
			continue;
		d = edit_distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

/* " (did you mean 'x'?)" or "" */
const char *scn_hint(char *buf, size_t len, const char *word, const char *const *cands,
			unsigned n)
{
	const char *s = pgsim_scn_suggest(word, cands, n);

	if (!s)
		return "";
	snprintf(buf, len, " (did you mean '%s'?)", s);
	return buf;
}

/* ---- typed values --------------------------------------------------------- */

static const char *kind_name(const struct pgsim_scn_node *n)
{
	switch (n->kind) {
	case PGSIM_SCN_NULL: return "nothing";
	case PGSIM_SCN_LIST: return "a list";
	case PGSIM_SCN_MAP: return "a mapping";
	default: return "text";
	}
}

static void bad_type(struct scn_ctx *c, const char *path, const struct pgsim_scn_node *v,
		     const char *want)
{
	if (v->kind == PGSIM_SCN_SCALAR || v->kind == PGSIM_SCN_STR)
		SCN_DIAG(c, v->mark, "%s: expected %s, got '%.60s'", path, want, v->text);
	else
		SCN_DIAG(c, v->mark, "%s: expected %s, got %s", path, want, kind_name(v));
}

static bool is_scalar(const struct pgsim_scn_node *v)
{
	return v->kind == PGSIM_SCN_SCALAR || v->kind == PGSIM_SCN_STR;
}

static void check_num(struct scn_ctx *c, const char *path, struct pgsim_scn_node *v, uint64_t max)
{
	const char *t = v->text;

	if (!is_scalar(v)) {
		bad_type(c, path, v, "a number");
		return;
	}
	switch (pgsim_parse_u64(t, true, &v->num)) {
	case 0:
		break;
	case -ERANGE:
		SCN_DIAG(c, v->mark, "%s: number '%.40s' does not fit in 64 bits", path, t);
		return;
	default:
		if (t[0] == '-')
			SCN_DIAG(c, v->mark, "%s: negative numbers are not allowed ('%.40s')", path, t);
		else
			bad_type(c, path, v, "a number (decimal, 0x hex, or with a K/M/G/T suffix)");
		return;
	}
	if (max && v->num > max) {
		SCN_DIAG(c, v->mark, "%s: %s is out of range (at most %llu)", path, t,
		     (unsigned long long)max);
		return;
	}
	v->kind = PGSIM_SCN_NUM;
}

static void check_str(struct scn_ctx *c, const char *path, struct pgsim_scn_node *v, bool slot)
{
	if (!is_scalar(v)) {
		bad_type(c, path, v, slot ? "a slot name" : "text");
		return;
	}
	if (slot) {
		if (strlen(v->text) > SCN_MAX_SLOT) {
			SCN_DIAG(c, v->mark, "%s: slot names are at most %d characters", path,
			     SCN_MAX_SLOT);
			return;
		}
		for (const char *p = v->text; *p; p++) {
			if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) {
				SCN_DIAG(c, v->mark, "%s: slot name '%.40s' contains white space", path,
				     v->text);
				return;
			}
		}
	}
	v->kind = PGSIM_SCN_STR;
}

/* A scalar becomes a one-item list. */
static bool wrap_list(struct scn_ctx *c, struct pgsim_scn_node *v)
{
	struct pgsim_scn_node *it;

	if (v->kind == PGSIM_SCN_LIST)
		return true;
	if (!is_scalar(v))
		return false;
	it = scn_alloc(c->a, sizeof(*it));
	if (!it) {
		c->nomem = true;
		return false;
	}
	*it = *v;
	v->kind = PGSIM_SCN_LIST;
	v->items = it;
	v->n = 1;
	return true;
}

/* A scalar becomes {shorthand: scalar}; nothing becomes {}. */
bool scn_wrap_map(struct scn_ctx *c, struct pgsim_scn_node *v, const char *shorthand)
{
	if (v->kind == PGSIM_SCN_MAP)
		return true;
	if (v->kind == PGSIM_SCN_NULL) {
		v->kind = PGSIM_SCN_MAP;
		v->n = 0;
		return true;
	}
	if (is_scalar(v) && shorthand) {
		struct pgsim_scn_node *it = scn_alloc(c->a, sizeof(*it));
		const char **k = scn_alloc(c->a, sizeof(*k));
		struct pgsim_scn_mark *km = scn_alloc(c->a, sizeof(*km));

		if (!it || !k || !km) {
			c->nomem = true;
			return false;
		}
		*it = *v;
		*k = shorthand;
		*km = v->mark;
		v->kind = PGSIM_SCN_MAP;
		v->items = it;
		v->keys = k;
		v->key_marks = km;
		v->n = 1;
		return true;
	}
	return false;
}

void scn_check_value(struct scn_ctx *c, const char *path, const struct pgsim_scn_key *k,
			struct pgsim_scn_node *v)
{
	char buf[96];

	switch (k->type) {
	case PGSIM_SCN_T_NUM:
	case PGSIM_SCN_T_VA:
	case PGSIM_SCN_T_WORD:
		check_num(c, path, v, k->max);
		break;
	case PGSIM_SCN_T_BOOL:
		if (!is_scalar(v) || !parse_bool(v->text, &v->b))
			bad_type(c, path, v, "true or false");
		else
			v->kind = PGSIM_SCN_BOOL;
		break;
	case PGSIM_SCN_T_STR:
		check_str(c, path, v, false);
		break;
	case PGSIM_SCN_T_CAP:
	case PGSIM_SCN_T_SLOT:
		check_str(c, path, v, true);
		break;
	case PGSIM_SCN_T_CHOICE: {
		unsigned n = 0;
		bool ok = false;

		while (k->choices[n])
			n++;
		if (is_scalar(v))
			for (unsigned i = 0; i < n; i++)
				ok = ok || strcmp(v->text, k->choices[i]) == 0;
		if (ok) {
			v->kind = PGSIM_SCN_STR;
		} else {
			char list[160];
			size_t off = 0;

			list[0] = '\0';
			for (unsigned i = 0; i < n && off < sizeof(list); i++)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							i ? ", " : "", k->choices[i]);
			if (is_scalar(v))
				SCN_DIAG(c, v->mark, "%s: unknown value '%.40s'%s (one of: %s)", path,
				     v->text, scn_hint(buf, sizeof(buf), v->text, k->choices, n), list);
			else
				bad_type(c, path, v, list);
		}
		break;
	}
	case PGSIM_SCN_T_RIGHTS:
		if (!is_scalar(v) || !pgsim_scn_parse_rights(v->text, &v->num))
			bad_type(c, path, v,
				 "rights (letters r, w, x, g such as 'rw', a seL4 name such as "
				 "seL4_ReadWrite, or a number up to 0xf)");
		else
			v->kind = PGSIM_SCN_NUM;
		break;
	case PGSIM_SCN_T_ATTR:
		if (is_scalar(v)) {
			if (isdigit((unsigned char)v->text[0]))
				check_num(c, path, v, 0);
			else
				check_str(c, path, v, false);
		} else if (v->kind == PGSIM_SCN_LIST) {
			for (unsigned i = 0; i < v->n; i++)
				check_str(c, path, &v->items[i], false);
		} else {
			bad_type(c, path, v, "attribute names or a number");
		}
		break;
	case PGSIM_SCN_T_SLOTS:
	case PGSIM_SCN_T_CAPS:
	case PGSIM_SCN_T_STRS:
	case PGSIM_SCN_T_NUMS:
		if (!wrap_list(c, v)) {
			bad_type(c, path, v, k->type == PGSIM_SCN_T_NUMS ? "a list of numbers"
									   : "a name or a list of names");
			break;
		}
		if (k->max && v->n > k->max) {
			SCN_DIAG(c, v->mark, "%s: at most %llu items", path, (unsigned long long)k->max);
			break;
		}
		for (unsigned i = 0; i < v->n; i++) {
			if (k->type == PGSIM_SCN_T_NUMS)
				check_num(c, path, &v->items[i], 0);
			else
				check_str(c, path, &v->items[i], k->type != PGSIM_SCN_T_STRS);
		}
		break;
	case PGSIM_SCN_T_MAP:
		if (!scn_wrap_map(c, v, k->shorthand))
			bad_type(c, path, v, "a mapping");
		else
			scn_check_map(c, path, v, k->sub, v->mark);
		break;
	case PGSIM_SCN_T_MAPS:
		if (v->kind == PGSIM_SCN_MAP && !wrap_list(c, v)) {
			/* a single mapping stands for a list of one */
			struct pgsim_scn_node *it = scn_alloc(c->a, sizeof(*it));

			if (!it) {
				c->nomem = true;
				break;
			}
			*it = *v;
			memset(v, 0, sizeof(*v));
			v->kind = PGSIM_SCN_LIST;
			v->mark = it->mark;
			v->items = it;
			v->n = 1;
		}
		if (!wrap_list(c, v)) {
			bad_type(c, path, v, "a list of mappings");
			break;
		}
		for (unsigned i = 0; i < v->n; i++) {
			if (!scn_wrap_map(c, &v->items[i], k->shorthand))
				bad_type(c, path, &v->items[i], "a mapping");
			else
				scn_check_map(c, path, &v->items[i], k->sub, v->items[i].mark);
		}
		break;
	}
}

void scn_check_map(struct scn_ctx *c, const char *path, struct pgsim_scn_node *m,
		   const struct pgsim_scn_key *keys, struct pgsim_scn_mark owner)
{
	const char *names[48];
	unsigned nk = 0;
	char sub[128], buf[96];

	while (keys[nk].name && nk < 48) {
		names[nk] = keys[nk].name;
		nk++;
	}
	for (unsigned i = 0; i < m->n; i++) {
		const struct pgsim_scn_key *k = NULL;

		for (unsigned j = 0; j < nk; j++)
			if (strcmp(m->keys[i], keys[j].name) == 0)
				k = &keys[j];
		if (!k) {
			SCN_DIAG(c, m->key_marks[i], "%s: unknown key '%.40s'%s", path, m->keys[i],
			     scn_hint(buf, sizeof(buf), m->keys[i], names, nk));
			continue;
		}
		snprintf(sub, sizeof(sub), "%s.%s", path, k->name);
		scn_check_value(c, sub, k, &m->items[i]);
	}
	for (unsigned j = 0; j < nk; j++)
		if (keys[j].required && !pgsim_scn_get(m, keys[j].name))
			SCN_DIAG(c, owner, "%s: missing required key '%s'", path, keys[j].name);
}

const struct pgsim_scn_node *pgsim_scn_get(const struct pgsim_scn_node *map, const char *key)
{
	if (!map || map->kind != PGSIM_SCN_MAP)
		return NULL;
	for (unsigned i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0)
			return &map->items[i];
	return NULL;
}
