#!/usr/bin/python3
"""read_xlsx.py FILE - prints an XLSX workbook as JSON, for test_export_xlsx.c.

An independent reader (openpyxl) opens what export_xlsx wrote, so the test checks
the file as a spreadsheet program sees it, not as libxlsxwriter meant it:

  {"title": ..., "created": "2026-01-10T01:00:00",
   "sheets": [{"name": ..., "freeze": "A4", "autofilter": "A3:F9",
               "merged": ["A1:F1", ...], "widths": {"A": 8.0, ...},
               "landscape": true, "paper": 9, "repeat_rows": "$3:$3",
               "rows": [[null | {"t": "s"|"n"|"d", "v": ..., "fmt": ..., "bold": ...,
                                 "fill": "FFD9E1F2" | null, "wrap": ...}, ...], ...]}]}

"t" is openpyxl's data type: "s" text, "n" number, "d" date (v as YYYY-MM-DD),
"f" would be a formula. Exit status 2 with a message when openpyxl is missing.
"""
import json
import sys

try:
    import openpyxl
except ImportError:
    sys.stderr.write("read_xlsx.py: python3 module openpyxl missing "
                     "(install Debian package python3-openpyxl)\n")
    sys.exit(2)


def cell_json(c):
    if c.value is None:
        return None
    t = c.data_type
    v = c.value
    if hasattr(v, "strftime"):
        v = v.strftime("%Y-%m-%d")
        t = "d"
    fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
    return {"t": t, "v": v, "fmt": c.number_format, "bold": bool(c.font.b),
            "fill": fill if isinstance(fill, str) else None,
            "wrap": bool(c.alignment.wrap_text)}


def sheet_json(ws):
    widths = {}
    for key, dim in ws.column_dimensions.items():
        if dim.width:
            widths[key] = dim.width
    return {
        "name": ws.title,
        "freeze": ws.freeze_panes,
        "autofilter": ws.auto_filter.ref,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": widths,
        "landscape": ws.page_setup.orientation == "landscape",
        "paper": int(ws.page_setup.paperSize) if ws.page_setup.paperSize else None,
        "repeat_rows": ws.print_title_rows,
        "rows": [[cell_json(c) for c in row] for row in ws.iter_rows()],
    }


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: read_xlsx.py FILE\n")
        return 1
    wb = openpyxl.load_workbook(sys.argv[1])
    created = wb.properties.created
    json.dump({"title": wb.properties.title,
               "created": created.strftime("%Y-%m-%dT%H:%M:%S") if created else None,
               "sheets": [sheet_json(ws) for ws in wb.worksheets]}, sys.stdout,
              ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
