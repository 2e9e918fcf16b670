/*
 * report_html.c — the HTML pieces of a `vmsim report` page (report.h): escaping, the page's
 * head with its inline CSS and error hook, the closing script that makes tables sortable,
 * inlined SVG plots, statistics tables.
 *
 * JavaScript errors: a handler installed first in <head> counts every error event into the
 * attributes of #js-status (data-errors, and a visible message); the closing script sets
 * data-ready="1" when it has run. A headless browser's DOM dump therefore shows whether the
 * page's scripts ran cleanly (tests/cli/report_chromium.sh).
 */
#include "sim/cli/report.h"

#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/util.h"

void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void html_url(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("._~=,/-", c))
			fputc(c, f);
		else
			fprintf(f, "%%%02X", c);
	}
}

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1d2430;background:#fff;margin:0}"
    "header{background:#16324f;color:#fff;padding:18px 32px}"
    "header h1{margin:0 0 4px;font-size:24px;font-weight:600}"
    "header p{margin:2px 0;color:#cfe0f2}"
    "header a{color:#fff}"
    "nav{margin-top:8px}nav a{margin-right:18px;color:#fff}"
    "main{max-width:1280px;margin:0 auto;padding:8px 32px 48px}"
    "h2{font-size:20px;border-bottom:2px solid #16324f;padding-bottom:4px;margin-top:36px}"
    "table{border-collapse:collapse;font-size:13.5px;margin:8px 0}"
    "th,td{padding:4px 10px;border-bottom:1px solid #e3e8ef;text-align:left;"
    "white-space:nowrap}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "th{background:#eef3f8;position:sticky;top:0}"
    "table.sortable th{cursor:pointer;user-select:none}"
    "table.sortable th::after{content:' \\2195';color:#8a97a8}"
    "table.sortable th[aria-sort=ascending]::after{content:' \\2191';color:#16324f}"
    "table.sortable th[aria-sort=descending]::after{content:' \\2193';color:#16324f}"
    "tbody tr:nth-child(even){background:#f8fafc}"
    "tbody tr:hover{background:#fff6d8}"
    ".scroll{overflow:auto;max-width:100%;max-height:70vh}"
    ".plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(680px,1fr));"
    "gap:16px}"
    "figure{margin:0;border:1px solid #e3e8ef;border-radius:6px;padding:10px}"
    "figure svg{width:100%;height:auto;display:block}"
    "figcaption{font-weight:600;margin-bottom:6px}"
    "pre{background:#f6f8fa;border:1px solid #e3e8ef;padding:12px;overflow:auto;"
    "max-height:480px;font-size:12.5px}"
    "details summary{cursor:pointer;margin:8px 0}"
    ".note{color:#5b6675}"
    "#js-status{display:none}#js-status[data-errors]:not([data-errors='0'])"
    "{display:block;background:#fde2e1;color:#8a1c1c;padding:8px 32px}";

/* Installed first: every error event counted into #js-status. */
static const char error_hook[] =
    "window.vmsimErrors=[];"
    "window.addEventListener('error',function(e){"
    "window.vmsimErrors.push(String(e.message||e));"
    "var s=document.getElementById('js-status');"
    "if(s){s.setAttribute('data-errors',String(window.vmsimErrors.length));"
    "s.textContent='JavaScript errors: '+window.vmsimErrors.join('; ');}});";

/* Click a header to sort by its column: numbers as numbers, text as text; again to reverse. */
static const char sort_script[] =
    "(function(){"
    "function key(td){var t=td.getAttribute('data-v');if(t===null)t=td.textContent;"
    "return t.trim();}"
    "function num(s){return s!==''&&isFinite(Number(s));}"
    "function sortBy(table,col,th){"
    "var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);"
    "var asc=th.getAttribute('aria-sort')!=='ascending';"
    "var allnum=rows.every(function(r){var c=r.cells[col];return !c||key(c)===''||"
    "num(key(c));});"
    "rows.sort(function(a,b){var x=a.cells[col]?key(a.cells[col]):'';"
    "var y=b.cells[col]?key(b.cells[col]):'';"
    "var d=allnum?(Number(x||0)-Number(y||0)):x.localeCompare(y,undefined,{numeric:true});"
    "return asc?d:-d;});"
    "rows.forEach(function(r){body.appendChild(r);});"
    "Array.prototype.forEach.call(th.parentNode.cells,function(h){"
    "h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');}"
    "Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(t){"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"
    "th.addEventListener('click',function(){sortBy(t,i,th);});});});"
    "document.getElementById('js-status').setAttribute('data-ready','1');"
    "})();";

void html_begin(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>",
	      f);
	html_text(f, title);
	fprintf(f, "</title>\n<style>%s</style>\n<script>%s</script>\n</head>\n<body>\n", css,
	        error_hook);
	fputs("<div id=\"js-status\" data-errors=\"0\"></div>\n", f);
}

void html_end(FILE *f)
{
	fprintf(f, "<script>%s</script>\n</body>\n</html>\n", sort_script);
}

/* The text of a file (new), or NULL. */
static char *slurp(const char *path)
{
	FILE *in = fopen(path, "rb");
	if (!in)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *s = xmalloc(cap);
	size_t n;
	while ((n = fread(s + len, 1, cap - len - 1, in)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			cap *= 2;
			s = xrealloc(s, cap);
		}
	}
	fclose(in);
	s[len] = '\0';
	return s;
}

int html_inline_svg(FILE *f, const char *path, const char *prefix)
{
	char *text = slurp(path);
	char *svg = text ? strstr(text, "<svg") : NULL;
	if (!svg) {
		free(text);
		return -1;
	}
	/* ids and the references to them, made unique on the page */
	static const char *const pats[] = {"id=\"", "href=\"#", "url(#"};
	for (char *p = svg; *p;) {
		size_t k = 0, l = 0;
		for (; k < ARRAY_SIZE(pats); k++) {
			l = strlen(pats[k]);
			if (!strncmp(p, pats[k], l))
				break;
		}
		if (k < ARRAY_SIZE(pats)) {
			fwrite(p, 1, l, f);
			fprintf(f, "%s-", prefix);
			p += l;
		} else {
			fputc(*p++, f);
		}
	}
	free(text);
	return 0;
}

static void stats_row(FILE *f, const char *k, const json_t *v)
{
	fputs("<tr><td>", f);
	html_text(f, k);
	if (json_is_integer(v)) {
		fprintf(f, "</td><td class=\"num\" data-v=\"%" JSON_INTEGER_FORMAT "\">",
		        json_integer_value(v));
		/* thousands separated for reading; data-v keeps the number for sorting */
		char digits[32], out[48];
		snprintf(digits, sizeof(digits), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		size_t n = strlen(digits), j = 0, lead = digits[0] == '-';
		for (size_t i = 0; i < n; i++) {
			out[j++] = digits[i];
			size_t left = n - 1 - i;
			if (i >= lead && left && left % 3 == 0)
				out[j++] = ',';
		}
		out[j] = '\0';
		fputs(out, f);
	} else if (json_is_real(v)) {
		fprintf(f, "</td><td class=\"num\">%.6g", json_real_value(v));
	} else {
		fputs("</td><td>", f);
		html_text(f, json_string_value(v));
	}
	fputs("</td></tr>\n", f);
}

size_t html_stats_table(FILE *f, const json_t *obj, const char *const *patterns)
{
	const char *k;
	json_t *v;
	size_t rows = 0;
	fputs("<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th>statistic</th>"
	      "<th>value</th></tr></thead><tbody>\n",
	      f);
	json_object_foreach((json_t *)obj, k, v)
	{
		if (!json_is_number(v) && !json_is_string(v))
			continue;
		bool match = !patterns;
		for (size_t i = 0; patterns && patterns[i] && !match; i++)
			match = !fnmatch(patterns[i], k, 0);
		if (!match)
			continue;
		stats_row(f, k, v);
		rows++;
	}
	fputs("</tbody></table></div>\n", f);
	return rows;
}

void html_json(FILE *f, const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	fputs("<pre>", f);
	html_text(f, s ? s : "");
	fputs("</pre>\n", f);
	free(s);
}
