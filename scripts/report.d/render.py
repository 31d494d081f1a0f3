"""Writes the report's blocks as a self-contained HTML file (plots inline as
base64 PNGs) and a Markdown twin (plots as PNG files in plots/)."""
import base64
import html
import os
import re

NUMERIC = re.compile(r"^-?[0-9][0-9,.]*( \([0-9,]+\))?$|^-$")

CSS = """body { font-family: sans-serif; max-width: 80em; margin: 1em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.85em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.ok { background: #e6f4ea; }
td.bad { background: #fbe3e1; font-weight: bold; }
td.code { font-family: monospace; }
td.num { text-align: right; white-space: nowrap; }
div.scroll { overflow-x: auto; }
p.header { color: #666; font-size: 0.85em; }
figure { margin: 0.5em 0 1.5em; }
figcaption { font-size: 0.85em; color: #555; }"""


def _md_cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(blocks):
    out = []
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + b[1])
        elif kind in ("p", "header"):
            out.append(b[1])
        elif kind == "table":
            headers, rows = b[1], b[2]
            out.append("| " + " | ".join(_md_cell(h) for h in headers) + " |")
            out.append("|" + "---|" * len(headers))
            for row in rows:
                cells = []
                for text, cls in row:
                    text = _md_cell(text)
                    cells.append(f"`{text}`" if cls == "code" else f"**{text}**" if cls == "bad" else text)
                out.append("| " + " | ".join(cells) + " |")
        elif kind == "img":
            out.append(f"![{b[3]}](plots/{b[1]})")
        out.append("")
    return "\n".join(out)


def html_page(blocks):
    e = html.escape
    title = next((b[1] for b in blocks if b[0] == "h1"), "report")
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', f"<title>{e(title)}</title>",
           f"<style>\n{CSS}\n</style>", "</head>", "<body>"]
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2", "h3"):
            out.append(f"<{kind}>{e(b[1])}</{kind}>")
        elif kind == "p":
            out.append(f"<p>{e(b[1])}</p>")
        elif kind == "header":
            out.append(f'<p class="header">{e(b[1])}</p>')
        elif kind == "table":
            out.append('<div class="scroll"><table>')
            out.append("<tr>" + "".join(f"<th>{e(h)}</th>" for h in b[1]) + "</tr>")
            for row in b[2]:
                cells = []
                for t, cls in row:
                    cls = cls or ("num" if NUMERIC.match(t) else None)
                    cells.append(f'<td class="{cls}">{e(t)}</td>' if cls else f"<td>{e(t)}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table></div>")
        elif kind == "img":
            data = base64.b64encode(b[2]).decode("ascii")
            out.append(f'<figure><img alt="{e(b[3])}" src="data:image/png;base64,{data}">'
                       f"<figcaption>{e(b[3])}</figcaption></figure>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def write(blocks, out_dir):
    plots = os.path.join(out_dir, "plots")
    os.makedirs(plots, exist_ok=True)
    for name in os.listdir(plots):
        if name.endswith(".png"):
            os.remove(os.path.join(plots, name))
    for b in blocks:
        if b[0] == "img":
            with open(os.path.join(plots, b[1]), "wb") as f:
                f.write(b[2])
    with open(os.path.join(out_dir, "report.md"), "w", encoding="utf-8") as f:
        f.write(markdown(blocks))
    with open(os.path.join(out_dir, "report.html"), "w", encoding="utf-8") as f:
        f.write(html_page(blocks))
    return os.path.join(out_dir, "report.html"), os.path.join(out_dir, "report.md")
