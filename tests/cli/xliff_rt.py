#!/usr/bin/env python3
"""XLIFF round-trip helper for t5001 (Python standard library only).

  xliff_rt.py strip IN OUT     removes every segment target (1.x <target>
                               of a trans-unit, 2.0 <target> of a segment)
                               and the producers' own status of a
                               translated segment (Trados's sdl:seg conf,
                               origin, percent, ...; memoQ's mq:status
                               back to NotStarted, mq:percent), byte for
                               byte otherwise
  xliff_rt.py compare ORIG OUT prints "SEGS BACK EXACT" for the targets of
                               ORIG found again in OUT (and marked exact),
                               and exits 1 when OUT differs from ORIG as XML
                               anywhere but in targets, their state
                               attributes, the producers' status
                               attributes and tolk's match annotations,
                               notes and glossary entries
"""
import re
import sys
import xml.etree.ElementTree as ET
import xml.parsers.expat

NS1 = ("urn:oasis:names:tc:xliff:document:1.2",
       "urn:oasis:names:tc:xliff:document:1.1", "")
NS2 = "urn:oasis:names:tc:xliff:document:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
MQ = "MQXliff"
# the producers' status attributes a pre-translation sets
SDL_SEG = ("conf", "origin", "origin-system", "percent", "text-match")
UNIT_STATUS = ("{%s}conf" % SDL, "{%s}origin" % SDL, "{%s}status" % MQ,
               "{%s}percent" % MQ)


def local(tag):
    return tag.rsplit("}", 1)[-1] if "}" in tag else tag.split(":")[-1]


def strip(src, dst):
    data = open(src, "rb").read()
    p = xml.parsers.expat.ParserCreate()
    stack, cut = [], []

    def start(name, attrs):
        stack.append((local(name), p.CurrentByteIndex))

    def end(name):
        nm, at = stack.pop()
        parent = stack[-1][0] if stack else ""
        if nm == "target" and parent in ("trans-unit", "segment"):
            i = p.CurrentByteIndex
            if data[i:i + 2] == b"</":
                i = data.index(b">", i) + 1
            else:  # self-closing: the event comes at the start tag
                i = data.index(b">", at) + 1
            cut.append((at, i))

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.Parse(data, True)
    out, last = [], 0
    for a, b in cut:
        out.append(unstatus(data[last:a]))
        last = b
    out.append(unstatus(data[last:]))
    open(dst, "wb").write(b"".join(out))


def unstatus(data):
    """data with the producers' status of a translated segment reset."""
    def seg(m):
        return re.sub(rb"\s(?:%s)=(\"[^\"]*\"|'[^']*')" %
                      b"|".join(a.encode() for a in SDL_SEG), b"", m.group(0))
    data = re.sub(rb"<sdl:seg\s[^>]*>", seg, data)
    data = re.sub(rb'\smq:percent="[^"]*"', b"", data)
    return re.sub(rb'mq:status="[^"]*"', b'mq:status="NotStarted"', data)


def segs(root):
    """(key, target text or None, exact) per segment in document order."""
    res = []
    for el in root.iter():
        nm = local(el.tag)
        if nm == "trans-unit":
            if el.get("translate") == "no":
                continue  # locked: never pre-translated
            tgt = next((c for c in el if local(c.tag) == "target"), None)
            ss = next((c for c in el if local(c.tag) == "seg-source"), None)
            exact = tgt is not None and tgt.get("state-qualifier") == "exact-match"
            if ss is not None:
                for m in ss.iter():
                    if local(m.tag) == "mrk" and m.get("mtype") == "seg":
                        t = None
                        if tgt is not None:
                            for tm in tgt.iter():
                                if (local(tm.tag) == "mrk" and tm.get("mtype") == "seg"
                                        and tm.get("mid") == m.get("mid")):
                                    t = "".join(tm.itertext())
                        res.append((el.get("id"), t, exact))
            else:
                t = "".join(tgt.itertext()) if tgt is not None else None
                res.append((el.get("id"), t, exact))
        elif nm == "segment":
            if el.get("translate") == "no":
                continue
            tgt = next((c for c in el if local(c.tag) == "target"), None)
            t = "".join(tgt.itertext()) if tgt is not None else None
            res.append((el.get("id"), t, el.get("state") == "translated"))
    return res


def cleaned(root):
    """The tree without targets, state attributes and tolk's additions."""
    for el in list(root.iter()):
        for c in list(el):
            nm = local(c.tag)
            if (nm == "target" and local(el.tag) in ("trans-unit", "segment")) \
                    or (nm == "alt-trans" and c.get("origin") == "tolk") \
                    or (nm == "matches" and c.tag.startswith("{" + MTC)
                        and any(m.get("origin") == "tolk" for m in c)) \
                    or (c.tag == "{%s}glossary" % GLS and any(
                        t.get("source") == "tolk"
                        for t in c.iter("{%s}term" % GLS))) \
                    or (nm == "note" and "tolk" in (c.get("from"),
                                                    c.get("category"))):
                el.remove(c)
        if local(el.tag) == "segment":
            el.attrib.pop("state", None)
        if el.tag == "{%s}seg" % SDL:
            for a in SDL_SEG:
                el.attrib.pop(a, None)
        for a in UNIT_STATUS:
            el.attrib.pop(a, None)
        el.text = (el.text or "").strip()
        el.tail = (el.tail or "").strip()
    # a <notes> tolk added for its notes alone
    for el in list(root.iter()):
        for c in list(el):
            if local(c.tag) == "notes" and len(c) == 0:
                el.remove(c)
    return ET.tostring(root)


def compare(orig, out):
    a, b = ET.parse(orig).getroot(), ET.parse(out).getroot()
    sa, sb = segs(a), segs(b)
    n = back = exact = 0
    for (ka, ta, _), (kb, tb, ex) in zip(sa, sb):
        if ta is None or not ta.strip():
            continue
        n += 1
        if tb is not None and tb.strip() == ta.strip():
            back += 1
            exact += ex
    print(n, back, exact)
    if len(sa) != len(sb) or cleaned(a) != cleaned(b):
        print("differs outside the targets", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "strip":
        strip(sys.argv[2], sys.argv[3])
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
