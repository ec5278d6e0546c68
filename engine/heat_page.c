/* heat_page.c - the HTML page around the SVG: self-contained (inline SVG,
 * CSS and JavaScript, nothing fetched from the network), hover details, a
 * sortable table of the agents; the live page adds the event stream
 * client and the DISCONNECTED banner (heat_serve.c serves it). */
#include "heat.h"

static const char page_style[] =
    "<style>\n"
    "body{margin:0;font-family:'DejaVu Sans',Verdana,sans-serif;background:#fafafa;color:#111}\n"
    "#banner{display:none;position:sticky;top:0;z-index:10;width:100%;box-sizing:border-box;"
    "background:#C62828;color:#fff;font-weight:bold;font-size:clamp(18px,2.2vw,48px);padding:.4em 1em}\n"
    "#banner.on{display:block}\n"
    "main{display:flex;gap:1em;padding:.5em;align-items:flex-start}\n"
    "#map{flex:1 1 auto;min-width:0}#map svg{width:100%;height:auto;display:block}\n"
    "#details{flex:0 0 16em;font-size:clamp(13px,1vw,26px);white-space:pre-line;background:#fff;"
    "border:1px solid #ccc;padding:.6em;min-height:8em}\n"
    "table{border-collapse:collapse;margin:.5em;font-size:clamp(12px,.9vw,24px)}\n"
    "th{cursor:pointer;text-align:left;background:#eee;user-select:none}th,td{padding:.2em .6em;"
    "border-bottom:1px solid #ddd}th.sorted::after{content:attr(data-arrow)}\n"
    "rect.agent:hover{stroke:#000;stroke-width:3}\n"
    "rect.agent.gh-stale{fill:#9E9E9E;fill-opacity:.5}\n"
    "@media (max-width:900px){main{flex-direction:column}#details{flex:none;width:auto}}\n"
    "</style>\n";

static const char page_table[] =
    "<table id=\"agents\"><thead><tr>"
    "<th data-key=\"name\">Agent</th><th data-key=\"cohort\">Cohort</th><th data-key=\"org\">Org</th>"
    "<th data-key=\"occupancy\" data-num=\"1\">Occupancy</th><th data-key=\"nrt\" data-num=\"1\">NRT rate</th>"
    "<th data-key=\"tenure\" data-num=\"1\">Tenure (days)</th><th data-key=\"band\">Band</th>"
    "</tr></thead><tbody></tbody></table>\n";

/* Hover details and the sortable table, read from the rectangles' data-*
 * attributes so that the live page's new SVG needs nothing else. */
static const char page_script[] =
    "<script>\n"
    "'use strict';\n"
    "var gheat = (function () {\n"
    "  var map = document.getElementById('map'), details = document.getElementById('details');\n"
    "  var sortKey = 'occupancy', sortDir = -1;\n"
    "  function pct(v) { return v === '' || v === undefined ? 'no data' : (parseFloat(v) * 100).toFixed(1) + '%'; }\n"
    "  function num(v) { return v === '' || v === undefined ? -Infinity : parseFloat(String(v).replace('~', '')); }\n"
    "  map.addEventListener('mouseover', function (e) {\n"
    "    var r = e.target.closest ? e.target.closest('rect.agent') : null;\n"
    "    if (r && r.querySelector('title')) details.textContent = r.querySelector('title').textContent;\n"
    "  });\n"
    "  function agents() {\n"
    "    return Array.prototype.map.call(map.querySelectorAll('rect.agent'), function (r) {\n"
    "      var d = r.dataset;\n"
    "      return {id: d.userId, name: d.name, cohort: d.cohort, org: d.org || '', occupancy: d.occupancy,\n"
    "              nrt: d.nrt, tenure: d.tenure, band: d.band};\n"
    "    });\n"
    "  }\n"
    "  function renderTable() {\n"
    "    var list = agents(), numeric = document.querySelector('th[data-key=\"' + sortKey + '\"]').dataset.num;\n"
    "    list.sort(function (a, b) {\n"
    "      var c = numeric ? num(a[sortKey]) - num(b[sortKey]) : (a[sortKey] < b[sortKey] ? -1 : a[sortKey] > b[sortKey] ? 1 : 0);\n"
    "      if (!c) c = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;\n"
    "      return c * sortDir;\n"
    "    });\n"
    "    var body = document.createElement('tbody');\n"
    "    list.forEach(function (a) {\n"
    "      var tr = document.createElement('tr');\n"
    "      [a.name, a.cohort, a.org, pct(a.occupancy), pct(a.nrt), a.tenure, a.band].forEach(function (v) {\n"
    "        var td = document.createElement('td'); td.textContent = v; tr.appendChild(td);\n"
    "      });\n"
    "      tr.dataset.userId = a.id; tr.dataset.band = a.band;\n"
    "      body.appendChild(tr);\n"
    "    });\n"
    "    var table = document.getElementById('agents');\n"
    "    table.replaceChild(body, table.tBodies[0]);\n"
    "    document.querySelectorAll('th').forEach(function (th) {\n"
    "      th.classList.toggle('sorted', th.dataset.key === sortKey);\n"
    "      th.dataset.arrow = sortDir < 0 ? ' \\u25BC' : ' \\u25B2';\n"
    "    });\n"
    "  }\n"
    "  document.querySelectorAll('th').forEach(function (th) {\n"
    "    th.addEventListener('click', function () {\n"
    "      if (sortKey === th.dataset.key) sortDir = -sortDir; else { sortKey = th.dataset.key; sortDir = th.dataset.num ? -1 : 1; }\n"
    "      renderTable();\n"
    "    });\n"
    "  });\n"
    "  renderTable();\n"
    "  return {renderTable: renderTable};\n"
    "})();\n"
    "</script>\n";

/* The live page: frames replace the SVG, status events drive the banner.
 * The server sends a status event at least every half second, so a page
 * that hears nothing for 3 s knows it lost gheat itself; the EventSource
 * is reopened whenever the browser gives up on it. */
static const char live_script[] =
    "<script>\n"
    "'use strict';\n"
    "(function () {\n"
    "  var map = document.getElementById('map'), banner = document.getElementById('banner');\n"
    "  var status = {}, heard = Date.now(), source = null, lastAt = null;\n"
    "  function clock(iso) {\n"
    "    if (!iso) return 'never';\n"
    "    var d = new Date(iso);\n"
    "    function two(n) { return (n < 10 ? '0' : '') + n; }\n"
    "    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());\n"
    "  }\n"
    "  function show(on, why) {\n"
    "    var text = '\\u26A0 DISCONNECTED \\u2014 data as of ' + clock(status.as_of || lastAt) + (why ? ' (' + why + ')' : '');\n"
    "    if (banner.textContent !== text) banner.textContent = on ? text : '';\n"
    "    banner.classList.toggle('on', on);\n"
    "    document.body.classList.toggle('disconnected', on);\n"
    "    var orgs = status.stale_orgs || [];\n"
    "    map.querySelectorAll('rect.agent').forEach(function (r) {\n"
    "      r.classList.toggle('gh-stale', on && (status.all || lost() || orgs.indexOf(r.dataset.org || '') >= 0));\n"
    "    });\n"
    "  }\n"
    "  function lost() { return Date.now() - heard > 3000; }\n"
    "  function refresh() {\n"
    "    if (lost()) show(true, 'no connection to gheat');\n"
    "    else show(!!status.disconnected, status.reason);\n"
    "  }\n"
    "  function connect() {\n"
    "    source = new EventSource('events');\n"
    "    source.addEventListener('frame', function (e) {\n"
    "      var f = JSON.parse(e.data);\n"
    "      map.innerHTML = f.svg;\n"
    "      document.body.dataset.seq = f.seq;\n"
    "      lastAt = f.at;\n"
    "      heard = Date.now();\n"
    "      refresh();\n"
    "      gheat.renderTable();\n"
    "    });\n"
    "    source.addEventListener('status', function (e) {\n"
    "      status = JSON.parse(e.data);\n"
    "      heard = Date.now();\n"
    "      refresh();\n"
    "    });\n"
    "    source.onerror = function () {\n"
    "      if (source.readyState === 2) { source.close(); setTimeout(connect, 1000); }\n"
    "    };\n"
    "  }\n"
    "  connect();\n"
    "  setInterval(refresh, 250);\n"
    "})();\n"
    "</script>\n";

void gh_page_wrap(gp_buf *out, const gp_buf *svg, const gh_draw_config *c, bool live)
{
    gp_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<link rel=\"icon\" href=\"data:,\">\n<title>");
    gh_xml_escape(out, c->title && *c->title ? c->title : "gheat");
    gp_buf_adds(out, "</title>\n");
    gp_buf_adds(out, page_style);
    gp_buf_adds(out, "</head>\n<body>\n<div id=\"banner\" role=\"alert\"></div>\n<main>\n<div id=\"map\">\n");
    gp_buf_add(out, svg->data, svg->len);
    gp_buf_adds(out, "</div>\n<aside id=\"details\">Point at an agent for details.</aside>\n</main>\n");
    gp_buf_adds(out, page_table);
    gp_buf_adds(out, page_script);
    if (live) gp_buf_adds(out, live_script);
    gp_buf_adds(out, "</body>\n</html>\n");
}

void gh_page_write(gp_buf *out, const gh_view *v, const gh_draw_config *c, bool live)
{
    gp_buf svg = {0};
    gh_svg_write(&svg, v, c);
    gh_page_wrap(out, &svg, c, live);
    gp_buf_free(&svg);
}

void gh_frame_write(gp_buf *out, const gp_buf *svg, const char *data_time, long long seq)
{
    gp_buf_printf(out, "{\"seq\":%lld,\"at\":", seq);
    if (*data_time) gp_buf_json_string(out, data_time, strlen(data_time));
    else gp_buf_adds(out, "null");
    gp_buf_adds(out, ",\"svg\":");
    gp_buf_json_string(out, svg->data, svg->len);
    gp_buf_adds(out, "}");
}

static void json_key_string(gp_buf *out, const char *key, const char *value)
{
    gp_buf_printf(out, "\"%s\":", key);
    gp_buf_json_string(out, value, strlen(value));
}

static void json_number_or_null(gp_buf *out, const char *key, double v, bool defined)
{
    char num[32];
    if (defined) gp_buf_printf(out, "\"%s\":%.*s", key, (int)gp_format_ratio(v, num), num);
    else gp_buf_printf(out, "\"%s\":null", key);
}

void gh_snapshot_write(gp_buf *out, const gh_view *v)
{
    gp_buf_adds(out, "{");
    json_key_string(out, "at", v->data_time);
    gp_buf_adds(out, ",");
    json_key_string(out, "period", v->period);
    gp_buf_adds(out, ",");
    json_number_or_null(out, "occupancy", v->occupancy, v->has_occupancy);
    gp_buf_printf(out, ",\"agents\":%zu,\"stale\":%ld,\"bands\":{", v->nitems, v->stale);
    for (int b = 0; b < GP_BAND_COUNT; b++)
        gp_buf_printf(out, "%s\"%s\":%ld", b ? "," : "", gp_band_name((gp_band)b), v->bands[b]);
    gp_buf_adds(out, "},\"items\":[");
    for (size_t i = 0; i < v->nitems; i++) {
        const gh_item *it = &v->items[i];
        gp_buf_adds(out, i ? ",{" : "{");
        json_key_string(out, "user_id", it->agent->user_id);
        gp_buf_adds(out, ",");
        json_key_string(out, "org", it->agent->org);
        gp_buf_adds(out, ",");
        json_key_string(out, "name", it->name);
        gp_buf_adds(out, ",");
        json_key_string(out, "cohort", it->cohort);
        gp_buf_adds(out, ",");
        json_number_or_null(out, "occupancy", it->agent->occupancy, it->agent->has_occupancy);
        gp_buf_printf(out, ",\"band\":\"%s\",\"stale\":%s,\"tenure_days\":%.0f,\"tenure_default\":%s,"
                           "\"x\":%.2f,\"y\":%.2f,\"w\":%.2f,\"h\":%.2f}",
                      gp_band_name(it->band), it->stale ? "true" : "false", it->tenure_days,
                      it->tenure_default ? "true" : "false", it->rect.x, it->rect.y, it->rect.w, it->rect.h);
    }
    gp_buf_adds(out, "]}\n");
}
