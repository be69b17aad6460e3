"""Reads an Atom feed with feedparser (a real feed reader's parser) and checks
RFC 4287's structural rules on the raw XML; prints what was read as JSON for
tests/real_clients.rs to compare with releases.json.

Usage: check_atom.py FEED.xml BASE_URL"""
import datetime
import json
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def fail(message):
    print(f"check_atom: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def one(element, name, where):
    found = element.findall(ATOM + name)
    check(len(found) == 1, f"{where}: RFC 4287 needs exactly one atom:{name}, found {len(found)}")
    return found[0]


def absolute_iri(value, where):
    check(urllib.parse.urlparse(value).scheme != "", f"{where}: atom:id `{value}` is not an absolute IRI")


def date(element, where):
    text = (element.text or "").strip()
    check(RFC3339.match(text), f"{where}: `{text}` is not an RFC 3339 date-time")
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


path, base_url = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()

# RFC 4287 structure, on the XML as written.
root = ET.fromstring(raw)
check(root.tag == ATOM + "feed", f"root element is {root.tag}, not atom:feed")
absolute_iri(one(root, "id", "feed").text, "feed")
check((one(root, "title", "feed").text or "").strip(), "feed: empty atom:title")
feed_updated = date(one(root, "updated", "feed"), "feed")
feed_has_author = bool(root.findall(ATOM + "author"))
for author in root.findall(ATOM + "author"):
    check((one(author, "name", "feed author").text or "").strip(), "feed: author without a name")
selfs = [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
check(len(selfs) == 1, "feed: one rel=self link (RFC 4287 SHOULD, feed readers rely on it)")
ids = set()
for n, entry in enumerate(root.findall(ATOM + "entry"), 1):
    where = f"entry {n}"
    entry_id = one(entry, "id", where).text
    absolute_iri(entry_id, where)
    check(entry_id not in ids, f"{where}: duplicate atom:id {entry_id}")
    ids.add(entry_id)
    check((one(entry, "title", where).text or "").strip(), f"{where}: empty atom:title")
    updated = date(one(entry, "updated", where), where)
    check(updated <= feed_updated, f"{where}: updated after the feed's atom:updated")
    check(feed_has_author or entry.findall(ATOM + "author"), f"{where}: no atom:author in the entry or the feed")
    alternates = [l for l in entry.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
    check(alternates or entry.findall(ATOM + "content"), f"{where}: neither content nor an alternate link")
    for content in entry.findall(ATOM + "content"):
        check(content.get("type") in (None, "text", "html", "xhtml"), f"{where}: content type {content.get('type')}")

# What a feed reader sees.
feed = feedparser.parse(raw, response_headers={
    "content-type": "application/atom+xml; charset=utf-8",
    "content-location": urllib.parse.urljoin(base_url, "feed.xml"),
})
check(not feed.bozo, f"feedparser: not well-formed: {feed.get('bozo_exception')}")
check(feed.version == "atom10", f"feedparser: version {feed.version}")
check(len(feed.entries) == len(root.findall(ATOM + "entry")), "feedparser lost entries")
print(json.dumps({
    "feed": {
        "id": feed.feed.id,
        "title": feed.feed.title,
        "updated": feed.feed.updated,
        "author": feed.feed.get("author"),
        "self": next(l.href for l in feed.feed.links if l.rel == "self"),
        "alternate": next((l.href for l in feed.feed.links if l.rel == "alternate"), None),
    },
    "entries": [
        {
            "id": e.id,
            "title": e.title,
            "link": e.link,
            "updated": e.updated,
            "summary": e.get("summary"),
            "content": e.content[0].value if e.get("content") else None,
        }
        for e in feed.entries
    ],
}, indent=1))
