/* sd_where: the --where language (see sd_where.h). The expression is
 * parsed once into a tree of nodes held in one array; matching walks it.
 * The text is what an analyst typed, but also what a script builds from
 * hostile data: every read is bounded and nesting is capped. */
#include "sd_where.h"

#include "../common/sd_parse.h"

#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Deeper nesting than any filter a person writes; the cap keeps the
 * recursive parser and matcher within a small stack on hostile text. */
#define WHERE_MAX_DEPTH 64
/* A regular expression's size, repetition bound and bounds: glibc
 * compiles a{n} into n copies and stacked quantifiers (a+++, a{9}{9})
 * multiply, so a short hostile pattern can take gigabytes. Within these a
 * pattern compiles to at most 64 * 64 copies of 256 bytes. */
#define WHERE_RE_MAX_LEN 256
#define WHERE_RE_MAX_BOUND 64
#define WHERE_RE_MAX_BOUNDS 2
/* Values in one "in {...}" set: a set longer than this is a list pasted
 * by mistake more likely than a filter. */
#define WHERE_MAX_SET 4096

typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_MATCHES, OP_IN } op_t;
typedef enum { N_AND, N_OR, N_NOT, N_TEST, N_EXISTS } nkind;

typedef struct lit {
    char *s;
    bool quoted;
    bool isnum;
    double num, hi;  /* hi: the end of a range A..B (isrange) */
    bool isrange;
    bool isaddr;
    sd_addr addr;
    unsigned plen;   /* prefix length; the whole address when none given */
} lit;

typedef struct node {
    nkind k;
    int a, b;                 /* children (AND, OR: both; NOT: a) */
    const sd_field *f[2];     /* the field, or an alias's two */
    size_t nf;
    char *named;              /* else a name for the fieldset's get_named */
    op_t op;
    lit *v;                   /* one, or the set's values */
    size_t nv;
    regex_t *re;              /* OP_MATCHES */
} node;

struct sd_filter {
    const sd_fieldset *fs;
    node *n;
    size_t nn;
    int root;
};

/* ---- lexer ---- */

typedef enum { T_END, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_AND, T_OR, T_NOT, T_OP, T_WORD, T_STR } tkind;

typedef struct tok {
    tkind k;
    size_t at, len;  /* where in the text (column at+1) */
    op_t op;
} tok;

typedef struct parser {
    const char *s;
    size_t pos;
    tok t;           /* the current token */
    const sd_fieldset *fs;
    sd_filter *flt;
    char *err;
    size_t errlen;
    bool failed;
    int depth;
} parser;

static void fail(parser *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(parser *p, size_t at, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    int n = snprintf(p->err, p->errlen, "column %zu: ", at + 1);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < p->errlen)
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/* Characters that end a word: blanks and the operators' own. */
static bool word_char(char c)
{
    return c && !strchr(" \t\r\n()!=<>~{},&|\"", c);
}

static const struct {
    const char *s;
    op_t op;
} SYM_OPS[] = { { "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE },
                { "=", OP_EQ },  { "<", OP_LT },  { ">", OP_GT },  { "~", OP_MATCHES } };
static const struct {
    const char *s;
    op_t op;
} WORD_OPS[] = { { "eq", OP_EQ }, { "ne", OP_NE }, { "lt", OP_LT }, { "le", OP_LE }, { "gt", OP_GT },
                 { "ge", OP_GE }, { "contains", OP_CONTAINS }, { "matches", OP_MATCHES }, { "in", OP_IN } };

static bool word_is(const parser *p, const tok *t, const char *w)
{
    return t->k == T_WORD && t->len == strlen(w) && !strncmp(p->s + t->at, w, t->len);
}

/* Words that are operators in an operator's place ("and", "eq", ...). */
static void keyword(parser *p, tok *t)
{
    if (word_is(p, t, "and"))
        t->k = T_AND;
    else if (word_is(p, t, "or"))
        t->k = T_OR;
    else if (word_is(p, t, "not"))
        t->k = T_NOT;
    for (size_t i = 0; t->k == T_WORD && i < SD_ARRAY_LEN(WORD_OPS); i++)
        if (word_is(p, t, WORD_OPS[i].s)) {
            t->k = T_OP;
            t->op = WORD_OPS[i].op;
        }
}

static int lex_symbol(parser *p, tok *t)
{
    const char *c = p->s + p->pos;
    static const char ONE[] = "(){},";
    static const tkind ONE_K[] = { T_LP, T_RP, T_LB, T_RB, T_COMMA };
    const char *o = strchr(ONE, *c);
    if (o) {
        t->k = ONE_K[o - ONE];
        t->len = 1;
        return 0;
    }
    if (!strncmp(c, "&&", 2) || !strncmp(c, "||", 2)) {
        t->k = *c == '&' ? T_AND : T_OR;
        t->len = 2;
        return 0;
    }
    for (size_t i = 0; i < SD_ARRAY_LEN(SYM_OPS); i++)
        if (!strncmp(c, SYM_OPS[i].s, strlen(SYM_OPS[i].s))) {
            t->k = T_OP;
            t->op = SYM_OPS[i].op;
            t->len = strlen(SYM_OPS[i].s);
            return 0;
        }
    if (*c == '!') {
        t->k = T_NOT;
        t->len = 1;
        return 0;
    }
    return -1;
}

/* The next token into p->t; a quoted string keeps its quotes (unquoted
 * when made a value). */
static void next(parser *p)
{
    while (p->s[p->pos] && strchr(" \t\r\n", p->s[p->pos]))
        p->pos++;
    tok t = { .k = T_END, .at = p->pos };
    const char *c = p->s + p->pos;
    if (!*c) {
        p->t = t;
        return;
    }
    if (*c == '"') {
        size_t i = 1;
        while (c[i] && c[i] != '"')
            i += c[i] == '\\' && c[i + 1] ? 2 : 1;
        if (!c[i])
            fail(p, t.at, "unterminated string");
        t.k = T_STR;
        t.len = c[i] ? i + 1 : i;
    } else if (word_char(*c)) {
        while (word_char(c[t.len]))
            t.len++;
        t.k = T_WORD;
        keyword(p, &t);
    } else if (lex_symbol(p, &t)) {
        fail(p, t.at, "unexpected '%c'", *c);
        t.len = 1;
    }
    p->pos += t.len;
    p->t = t;
}

/* ---- values ---- */

static char *dup_n(const char *s, size_t n)
{
    char *o = sd_malloc(n + 1);
    memcpy(o, s, n);
    o[n] = '\0';
    return o;
}

static char *unquote(const char *s, size_t len)
{
    char *o = sd_malloc(len + 1);
    size_t n = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        if (s[i] == '\\' && i + 2 < len)
            i++;
        o[n++] = s[i];
    }
    o[n] = '\0';
    return o;
}

static bool parse_num(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || strchr(" \t", *s))
        return false;
    *out = v;
    return true;
}

/* A word: a number, a range A..B (sets), an address or prefix, or text. */
static void classify(lit *l, bool in_set)
{
    l->isnum = parse_num(l->s, &l->num);
    const char *dots = in_set ? strstr(l->s, "..") : NULL;
    if (!l->isnum && dots && dots != l->s) {
        char a[64];
        size_t n = (size_t)(dots - l->s);
        if (n < sizeof a) {
            memcpy(a, l->s, n);
            a[n] = '\0';
            l->isrange = parse_num(a, &l->num) && parse_num(dots + 2, &l->hi) && l->num <= l->hi;
        }
    }
    if (!l->isnum && !l->isrange)
        l->isaddr = sd_parse_cidr(l->s, &l->addr, &l->plen) == 0;
}

/* The current token as a value; false (and an error) if it is none. */
static bool take_value(parser *p, lit *l, bool in_set)
{
    const tok *t = &p->t;
    *l = (lit){ 0 };
    if (t->k == T_STR) {
        l->s = unquote(p->s + t->at, t->len);
        l->quoted = true;
    } else if (t->k == T_WORD || (t->k >= T_AND && t->k <= T_NOT) || (t->k == T_OP && t->op >= OP_CONTAINS)) {
        l->s = dup_n(p->s + t->at, t->len); /* "and" as a value is a value */
        classify(l, in_set);
    } else {
        fail(p, t->at, "expected a value");
        return false;
    }
    next(p);
    return true;
}

/* ---- parser ---- */

static int add_node(parser *p, node n)
{
    sd_filter *f = p->flt;
    f->n = sd_reallocarray(f->n, f->nn + 1, sizeof *f->n);
    f->n[f->nn] = n;
    return (int)f->nn++;
}

/* Wireshark's names for the Zeek fields: either end, or one. */
static const struct {
    const char *name, *f1, *f2;
} ALIASES[] = {
    { "ip.addr", "id.orig_h", "id.resp_h" },   { "ipv6.addr", "id.orig_h", "id.resp_h" },
    { "ip.src", "id.orig_h", NULL },            { "ip.dst", "id.resp_h", NULL },
    { "ipv6.src", "id.orig_h", NULL },          { "ipv6.dst", "id.resp_h", NULL },
    { "tcp.port", "id.orig_p", "id.resp_p" },   { "udp.port", "id.orig_p", "id.resp_p" },
    { "tcp.srcport", "id.orig_p", NULL },       { "tcp.dstport", "id.resp_p", NULL },
    { "udp.srcport", "id.orig_p", NULL },       { "udp.dstport", "id.resp_p", NULL },
    { "tcp.stream", "stream", NULL },
};

static bool find_field(parser *p, const char *name, node *n)
{
    if ((n->f[0] = sd_field_find(p->fs, name))) {
        n->nf = 1;
        return true;
    }
    for (size_t i = 0; i < SD_ARRAY_LEN(ALIASES); i++) {
        if (strcmp(name, ALIASES[i].name))
            continue;
        n->f[0] = sd_field_find(p->fs, ALIASES[i].f1);
        n->f[1] = ALIASES[i].f2 ? sd_field_find(p->fs, ALIASES[i].f2) : NULL;
        n->nf = n->f[1] ? 2 : 1;
        return n->f[0] != NULL && (!ALIASES[i].f2 || n->f[1]);
    }
    if (!p->fs->get_named)
        return false;
    n->named = dup_n(name, strlen(name));
    n->nf = 1;
    return true;
}

/* "{ v v .. }" or a single CIDR/value after "in". */
static void parse_set(parser *p, node *n)
{
    if (p->t.k != T_LB) {
        n->v = sd_calloc(1, sizeof *n->v);
        n->nv = take_value(p, n->v, true);
        return;
    }
    size_t at = p->t.at;
    next(p);
    while (!p->failed && p->t.k != T_RB) {
        if (p->t.k == T_END) {
            fail(p, at, "'{' without '}'");
            return;
        }
        if (n->nv == WHERE_MAX_SET) {
            fail(p, p->t.at, "more than %d values in a set", WHERE_MAX_SET);
            return;
        }
        n->v = sd_reallocarray(n->v, n->nv + 1, sizeof *n->v);
        if (!take_value(p, &n->v[n->nv], true))
            return;
        n->nv++;
        if (p->t.k == T_COMMA)
            next(p);
    }
    if (!p->failed && !n->nv)
        fail(p, at, "empty set");
    next(p);
}

static bool is_order(op_t op)
{
    return op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
}

/* Why a pattern is refused before regcomp sees it (see WHERE_RE_*), or
 * NULL. Stacked quantifiers are undefined in POSIX EREs anyway. */
static const char *regex_risk(const char *re)
{
    if (strlen(re) > WHERE_RE_MAX_LEN)
        return "longer than 256 bytes";
    int bounds = 0;
    bool after_quant = false;
    for (const char *c = re; *c; c++) {
        if (*c == '\\' && c[1]) {
            c++;
            after_quant = false;
            continue;
        }
        if (*c == '[') { /* a bracket expression is one atom: its * + ? are plain */
            const char *e = c + 1 + (c[1] == '^');
            e = *e ? strchr(e + 1, ']') : NULL; /* a ']' first is plain too */
            c = e ? e : c + strlen(c) - 1;
            after_quant = false;
            continue;
        }
        bool quant = strchr("*+?{", *c) != NULL;
        if (quant && after_quant)
            return "a quantifier on a quantifier";
        if (*c == '{') {
            char *end;
            unsigned long lo = strtoul(c + 1, &end, 10), hi = lo;
            if (*end == ',')
                hi = end[1] == '}' ? ULONG_MAX : strtoul(end + 1, &end, 10);
            if (++bounds > WHERE_RE_MAX_BOUNDS || lo > WHERE_RE_MAX_BOUND ||
                (hi != ULONG_MAX && hi > WHERE_RE_MAX_BOUND))
                return "more than 2 bounds {m,n} or one over 64";
            const char *close = strchr(c, '}');
            c = close ? close : c + strlen(c) - 1;
        }
        after_quant = quant;
    }
    return NULL;
}

/* After FIELD OP VALUE: what the operator needs of the value. */
static void check_value(parser *p, node *n, size_t at)
{
    const lit *l = &n->v[0];
    if (is_order(n->op) && !l->isnum && !l->isaddr && !l->quoted)
        fail(p, at, "\"%s\" is not a number (quote it to compare as text)", l->s);
    const char *risk = n->op == OP_MATCHES ? regex_risk(l->s) : NULL;
    if (risk) {
        fail(p, at, "regular expression refused: %s", risk);
        return;
    }
    if (n->op == OP_MATCHES) {
        n->re = sd_malloc(sizeof *n->re);
        if (regcomp(n->re, l->s, REG_EXTENDED | REG_NOSUB | REG_ICASE) != 0) {
            free(n->re);
            n->re = NULL;
            fail(p, at, "bad regular expression \"%s\"", l->s);
        }
    }
}

static int parse_test(parser *p)
{
    node n = { .k = N_EXISTS };
    if (p->t.k != T_WORD) {
        fail(p, p->t.at, p->t.k == T_END ? "expected a field at the end" : "expected a field");
        return -1;
    }
    char *name = dup_n(p->s + p->t.at, p->t.len);
    bool known = find_field(p, name, &n);
    if (!known)
        fail(p, p->t.at, "unknown field \"%s\"", name);
    free(name);
    next(p);
    if (p->t.k == T_OP && !p->failed) {
        n.k = N_TEST;
        n.op = p->t.op;
        next(p);
        size_t at = p->t.at;
        if (n.op == OP_IN) {
            parse_set(p, &n);
        } else {
            n.v = sd_calloc(1, sizeof *n.v);
            n.nv = take_value(p, n.v, false);
            if (n.nv)
                check_value(p, &n, at);
        }
    }
    return add_node(p, n); /* added even on error, so freeing finds it */
}

static int parse_or(parser *p);

static int parse_unary(parser *p)
{
    if (++p->depth > WHERE_MAX_DEPTH) {
        fail(p, p->t.at, "nested deeper than %d", WHERE_MAX_DEPTH);
        return -1;
    }
    int r;
    if (p->t.k == T_NOT) {
        next(p);
        int a = parse_unary(p);
        r = add_node(p, (node){ .k = N_NOT, .a = a });
    } else if (p->t.k == T_LP) {
        size_t at = p->t.at;
        next(p);
        r = parse_or(p);
        if (p->t.k != T_RP)
            fail(p, p->t.k == T_END ? at : p->t.at, p->t.k == T_END ? "'(' without ')'" : "expected ')'");
        next(p);
    } else {
        r = parse_test(p);
    }
    p->depth--;
    return r;
}

static int parse_and(parser *p)
{
    int a = parse_unary(p);
    while (!p->failed && (p->t.k == T_AND || p->t.k == T_COMMA)) {
        next(p);
        int b = parse_unary(p);
        a = add_node(p, (node){ .k = N_AND, .a = a, .b = b });
    }
    return a;
}

static int parse_or(parser *p)
{
    int a = parse_and(p);
    while (!p->failed && p->t.k == T_OR) {
        next(p);
        int b = parse_and(p);
        a = add_node(p, (node){ .k = N_OR, .a = a, .b = b });
    }
    return a;
}

sd_filter *sd_filter_parse(const sd_fieldset *fs, const char *expr, char *err, size_t errlen)
{
    parser p = { .s = expr, .fs = fs, .err = err, .errlen = errlen };
    p.flt = sd_calloc(1, sizeof *p.flt);
    p.flt->fs = fs;
    next(&p);
    if (p.t.k == T_END)
        fail(&p, 0, "empty expression");
    p.flt->root = parse_or(&p);
    if (p.t.k != T_END)
        fail(&p, p.t.at, "unexpected \"%.*s\"", (int)(p.t.len > 40 ? 40 : p.t.len), expr + p.t.at);
    if (p.failed) {
        sd_filter_free(p.flt);
        return NULL;
    }
    return p.flt;
}

void sd_filter_free(sd_filter *flt)
{
    if (!flt)
        return;
    for (size_t i = 0; i < flt->nn; i++) {
        node *n = &flt->n[i];
        for (size_t j = 0; j < n->nv; j++)
            free(n->v[j].s);
        free(n->v);
        free(n->named);
        if (n->re)
            regfree(n->re);
        free(n->re);
    }
    free(flt->n);
    free(flt);
}

/* ---- matching ---- */

static bool ordered(op_t op, int c)
{
    switch (op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    case OP_GE: return c >= 0;
    default: return false;
    }
}

static bool bool_word(const char *s, bool *b)
{
    if (!strcasecmp(s, "true") || !strcmp(s, "1"))
        *b = true;
    else if (!strcasecmp(s, "false") || !strcmp(s, "0"))
        *b = false;
    else
        return false;
    return true;
}

/* One value against one literal; text is the value's text. */
static bool cmp_one(const sd_fval *v, const char *text, op_t op, const lit *l, const regex_t *re)
{
    if (op == OP_CONTAINS)
        return strstr(text, l->s) != NULL;
    if (op == OP_MATCHES)
        return re && regexec(re, text, 0, NULL, 0) == 0;
    bool b;
    if (v->t == SD_FV_BOOL && (op == OP_EQ || op == OP_NE) && bool_word(l->s, &b))
        return (v->b == b) == (op == OP_EQ);
    double x = sd_fval_num(v);
    if (l->isrange && !isnan(x))
        return x >= l->num && x <= l->hi;
    if (l->isnum && !isnan(x))
        return ordered(op, x < l->num ? -1 : x > l->num);
    sd_addr a;
    if (l->isaddr && v->t == SD_FV_STR && sd_addr_parse(text, &a) == 0) {
        if (op == OP_EQ || op == OP_NE)
            return sd_addr_in_net(&a, &l->addr, l->plen) == (op == OP_EQ);
        return ordered(op, sd_addr_cmp(&a, &l->addr));
    }
    return ordered(op, strcmp(text, l->s));
}

/* A test on one field's value (unset: false, != true). */
static bool test_value(const node *n, const sd_fval *v)
{
    if (v->t == SD_FV_NULL)
        return n->k == N_TEST && n->op == OP_NE;
    if (n->k == N_EXISTS)
        return !(v->t == SD_FV_BOOL && !v->b) && sd_fval_num(v) != 0;
    char tmp[128];
    const char *text = tmp;
    if (v->t == SD_FV_STR)
        text = v->s;
    else if (v->t == SD_FV_JSON)
        text = v->raw.len ? (const char *)v->raw.p : "";
    else
        sd_fval_text(v, tmp, sizeof tmp);
    if (n->op == OP_IN) {
        for (size_t i = 0; i < n->nv; i++)
            if (cmp_one(v, text, OP_EQ, &n->v[i], NULL))
                return true;
        return false;
    }
    return cmp_one(v, text, n->op, &n->v[0], n->re);
}

/* An alias over two fields: any of them, or for != none of them. */
static bool test_node(const sd_filter *f, const node *n, const void *rec)
{
    bool all = n->k == N_TEST && n->op == OP_NE;
    for (size_t i = 0; i < n->nf; i++) {
        sd_fval v = { 0 };
        if (n->named)
            f->fs->get_named(rec, n->named, &v);
        else
            n->f[i]->get(rec, &v);
        if (v.t == SD_FV_JSON) { /* the text ends at its length */
            sd_buf_append(&v.raw, "", 1);
            v.raw.len--;
        }
        bool m = test_value(n, &v);
        sd_fval_clear(&v);
        if (m != all)
            return m;
    }
    return all;
}

static bool eval(const sd_filter *f, int i, const void *rec)
{
    const node *n = &f->n[i];
    switch (n->k) {
    case N_AND: return eval(f, n->a, rec) && eval(f, n->b, rec);
    case N_OR: return eval(f, n->a, rec) || eval(f, n->b, rec);
    case N_NOT: return !eval(f, n->a, rec);
    default: return test_node(f, n, rec);
    }
}

bool sd_filter_match(const sd_filter *flt, const void *rec)
{
    return !flt || eval(flt, flt->root, rec);
}
