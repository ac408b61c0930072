#!/usr/bin/env python3
"""Writes the sample datasets under static/datasets/ (run it again after editing; the output is
committed, and teach/tests/datasets.rs checks that it still matches what this script writes).

A dataset is a list of DynamoDB requests (CreateTable, UpdateTimeToLive, BatchWriteItem) that the
playground runs in order; static/datasets/README.md documents the format. Every name, title and
value here is invented for dynaplay. The generator is deterministic: a small linear congruential
generator stands in for `random`, whose algorithms may change between Python versions.

    python3 scripts/datasets.py          # rewrite static/datasets/
    python3 scripts/datasets.py --check  # exit 1 if static/datasets/ differs
"""

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "datasets"
FORMAT = "dynaplay-dataset"
BATCH = 25  # BatchWriteItem's limit of put or delete requests per call


class Lcg:
    """Numerical Recipes' 32-bit LCG: enough to scatter sample values reproducibly."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (1664525 * self.state + 1013904223) & 0xFFFFFFFF
        return self.state

    def below(self, n):
        return (self.next() >> 8) % n

    def pick(self, items):
        return items[self.below(len(items))]


def s(v):
    return {"S": v}


def n(v):
    return {"N": str(v)}


def attr_defs(**types):
    return [{"AttributeName": k, "AttributeType": t} for k, t in types.items()]


def key_schema(hash_key, range_key=None):
    keys = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        keys.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return keys


def gsi(name, hash_key, range_key=None, projection="ALL"):
    return {
        "IndexName": name,
        "KeySchema": key_schema(hash_key, range_key),
        "Projection": {"ProjectionType": projection},
    }


def create_table(name, keys, defs, indexes=()):
    request = {
        "TableName": name,
        "KeySchema": keys,
        "AttributeDefinitions": defs,
        "BillingMode": "PAY_PER_REQUEST",
    }
    if indexes:
        request["GlobalSecondaryIndexes"] = list(indexes)
    return {"op": "CreateTable", "request": request}


def batches(table, items):
    """BatchWriteItem requests of at most 25 puts each, in item order."""
    for start in range(0, len(items), BATCH):
        chunk = items[start:start + BATCH]
        yield {
            "op": "BatchWriteItem",
            "request": {"RequestItems": {table: [{"PutRequest": {"Item": i}} for i in chunk]}},
        }


def dataset(ident, title, description, tables, steps, time_attributes=None):
    doc = {
        "format": FORMAT,
        "version": 1,
        "id": ident,
        "title": title,
        "description": description,
        "tables": tables,
        "items": sum(
            len(next(iter(st["request"]["RequestItems"].values())))
            for st in steps
            if st["op"] == "BatchWriteItem"
        ),
        "steps": steps,
    }
    if time_attributes:
        doc["timeAttributes"] = time_attributes
    return doc


# --- music: one table, artist and song, like the Developer Guide's first example -------------

ARTISTS = [
    "Amber Lanterns", "The Quiet Tides", "Nora Vale", "Copper Fox", "Lumen Choir",
    "Static Orchard", "Juniper Hale", "Midnight Ferry", "Paper Comets", "Ravi & The Reeds",
    "Saltwater Radio", "Violet Hours",
]
GENRES = ["Rock", "Jazz", "Folk", "Pop", "Electronic", "Blues"]
WORDS = [
    "River", "Neon", "Harbor", "Summer", "Glass", "Paper", "Silver", "Quiet", "Golden",
    "Northern", "Hollow", "Electric", "Velvet", "Distant", "Wild", "Morning", "Lantern", "Echo",
]
NOUNS = ["Lights", "Roads", "Hearts", "Skies", "Letters", "Bridges", "Waves", "Dreams", "Fields"]


def music():
    rnd = Lcg(2024)
    items = []
    for artist in ARTISTS:
        album = f"{rnd.pick(WORDS)} {rnd.pick(NOUNS)}"
        year = 1995 + rnd.below(30)
        genre = rnd.pick(GENRES)
        titles = set()
        while len(titles) < 5:
            titles.add(f"{rnd.pick(WORDS)} {rnd.pick(NOUNS)}")
        for title in sorted(titles):
            item = {
                "Artist": s(artist),
                "SongTitle": s(title),
                "AlbumTitle": s(album),
                "Year": n(year),
                "Genre": s(genre),
                "Price": n(f"{rnd.below(3) + 0.99:.2f}"),
            }
            if rnd.below(4) == 0:
                item["Awards"] = n(1 + rnd.below(3))
            items.append(item)
    steps = [
        create_table(
            "Music",
            key_schema("Artist", "SongTitle"),
            attr_defs(Artist="S", SongTitle="S", Genre="S", Year="N"),
            [gsi("GenreYear", "Genre", "Year")],
        ),
        *batches("Music", items),
    ]
    return dataset(
        "music",
        "Music catalogue",
        "Songs keyed by Artist (partition key) and SongTitle (sort key), with a GenreYear index "
        "for 'every Jazz song since 2010'. Awards is present on some songs only.",
        ["Music"],
        steps,
    )


# --- forum: ProductCatalog, Forum, Thread and Reply in the Developer Guide's shapes ------------

def forum():
    rnd = Lcg(7)
    products = []
    for i, (kind, title) in enumerate(
        [("Book", "Tables Without Joins"), ("Book", "The Partition Key Handbook"),
         ("Book", "Indexes in Practice"), ("Bicycle", "Trail Runner 300"),
         ("Bicycle", "City Glide 2"), ("Bicycle", "Summit Pro"),
         ("Headphones", "Quiet Hours"), ("Headphones", "Studio Line")]
    ):
        item = {"Id": n(101 + i), "ProductCategory": s(kind), "Title": s(title),
                "Price": n(20 + rnd.below(480)), "InStock": {"BOOL": rnd.below(3) != 0}}
        if kind == "Book":
            item["Authors"] = {"SS": sorted({f"Author {rnd.pick('ABCDEFGH')}" for _ in range(2)})}
            item["PageCount"] = n(120 + rnd.below(500))
        elif kind == "Bicycle":
            item["Color"] = {"SS": sorted({rnd.pick(["Red", "Black", "Blue", "Green"]) for _ in range(2)})}
        products.append(item)

    forums = [("DynamoDB", "Keys, indexes and capacity"), ("Streams", "Change data capture"),
              ("Modeling", "Single-table design and access patterns")]
    users = ["ana", "bo", "chen", "dara", "eli", "fatima"]
    threads, replies = [], []
    base = 1767225600  # 2026-01-01T00:00:00Z; threads and replies follow at fixed steps
    for f, (name, _) in enumerate(forums):
        for t in range(4):
            subject = f"{rnd.pick(WORDS)} {rnd.pick(NOUNS)} question {t + 1}"
            posted = base + (f * 4 + t) * 86400
            count = 1 + rnd.below(4)
            threads.append({"ForumName": s(name), "Subject": s(subject),
                            "Message": s(f"How do I handle {subject.lower()}?"),
                            "LastPostedBy": s(rnd.pick(users)),
                            "LastPostedDateTime": s(iso(posted + count * 3600)),
                            "Views": n(rnd.below(500)), "Replies": n(count),
                            "Tags": {"SS": sorted({rnd.pick(["keys", "gsi", "cost", "ttl", "lambda"]) for _ in range(2)})}})
            for r in range(count):
                replies.append({"Id": s(f"{name}#{subject}"),
                                "ReplyDateTime": s(iso(posted + (r + 1) * 3600)),
                                "Message": s(f"Reply {r + 1}: have you tried {rnd.pick(['a GSI', 'a sort key prefix', 'a condition expression', 'Query instead of Scan'])}?"),
                                "PostedBy": s(rnd.pick(users))})
    forum_items = [{"Name": s(name), "Category": s(cat),
                    "Threads": n(sum(1 for t in threads if t["ForumName"]["S"] == name)),
                    "Messages": n(sum(1 for r in replies if r["Id"]["S"].startswith(name + "#")))}
                   for name, cat in forums]
    steps = [
        create_table("ProductCatalog", key_schema("Id"), attr_defs(Id="N")),
        create_table("Forum", key_schema("Name"), attr_defs(Name="S")),
        create_table("Thread", key_schema("ForumName", "Subject"), attr_defs(ForumName="S", Subject="S")),
        create_table("Reply", key_schema("Id", "ReplyDateTime"),
                     attr_defs(Id="S", ReplyDateTime="S", PostedBy="S", Message="S"),
                     [gsi("PostedBy-Message-Index", "PostedBy", "Message")]),
        *batches("ProductCatalog", products),
        *batches("Forum", forum_items),
        *batches("Thread", threads),
        *batches("Reply", replies),
    ]
    return dataset(
        "forum",
        "Product catalogue and forum",
        "Four tables in the shape of the Developer Guide's samples: ProductCatalog (Id), Forum "
        "(Name), Thread (ForumName + Subject) and Reply (Id + ReplyDateTime, with a "
        "PostedBy-Message-Index).",
        ["ProductCatalog", "Forum", "Thread", "Reply"],
        steps,
    )


def iso(seconds):
    import datetime
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- single-table e-commerce (seed 004): USER#, ORDER#, PRODUCT# with an inverted GSI ---------

def ecommerce():
    rnd = Lcg(404)
    items = []
    products = [f"PRODUCT#{700 + i}" for i in range(12)]
    for p, pk in enumerate(products):
        items.append({"PK": s(pk), "SK": s("METADATA"), "Type": s("Product"),
                      "Name": s(f"{rnd.pick(WORDS)} {rnd.pick(['Mug', 'Lamp', 'Notebook', 'Backpack', 'Kettle'])}"),
                      "Price": n(f"{5 + rnd.below(95)}.{rnd.below(100):02d}"),
                      "Stock": n(rnd.below(200))})
    order = 400
    for u in range(20):
        user = f"USER#{100 + u}"
        items.append({"PK": s(user), "SK": s("PROFILE"), "Type": s("User"),
                      "Name": s(f"{rnd.pick(['Ana', 'Bo', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana'])} {chr(65 + u)}."),
                      "Email": s(f"user{100 + u}@example.com")})
        for _ in range(1 + rnd.below(4)):
            order += 1 + rnd.below(3)
            ok = f"ORDER#{order}"
            items.append({"PK": s(user), "SK": s(ok), "Type": s("Order"),
                          "GSI1PK": s(ok), "GSI1SK": s(user),
                          "Status": s(rnd.pick(["PLACED", "SHIPPED", "DELIVERED"])),
                          "Total": n(f"{10 + rnd.below(290)}.{rnd.below(100):02d}"),
                          "OrderedAt": s(iso(1767225600 + order * 3600))})
            for line in range(1 + rnd.below(3)):
                product = rnd.pick(products)
                items.append({"PK": s(ok), "SK": s(f"ITEM#{line + 1}"), "Type": s("OrderItem"),
                              "Product": s(product), "Quantity": n(1 + rnd.below(3))})
    steps = [
        create_table("Shop", key_schema("PK", "SK"),
                     attr_defs(PK="S", SK="S", GSI1PK="S", GSI1SK="S"),
                     [gsi("GSI1", "GSI1PK", "GSI1SK")]),
        *batches("Shop", items),
    ]
    return dataset(
        "ecommerce",
        "Single-table e-commerce",
        "Seed 004's single-table design: users (USER#id / PROFILE), their orders (USER#id / "
        "ORDER#id), order lines (ORDER#id / ITEM#n) and products (PRODUCT#id / METADATA) in one "
        "table; GSI1 inverts orders (GSI1PK ORDER#id, GSI1SK USER#id) to look an order up by id.",
        ["Shop"],
        steps,
    )


# --- social graph (seed 004's adjacency list) ------------------------------------------------

def social():
    rnd = Lcg(99)
    people = ["alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "ivan", "judy",
              "mallory", "nia", "oscar", "peggy", "quinn", "rupert", "sybil", "trent", "uma", "victor"]
    items = [{"PK": s(f"USER#{p}"), "SK": s("PROFILE"), "Name": s(p.capitalize()),
              "Joined": s(iso(1735689600 + i * 86400 * 9))} for i, p in enumerate(people)]
    edges = set()
    for i, p in enumerate(people):
        # A few people are followed by many (a skewed graph, like real ones).
        for _ in range(2 + rnd.below(5)):
            q = people[min(rnd.below(len(people)), rnd.below(len(people)))]
            if q != p:
                edges.add((p, q))
    for p, q in sorted(edges):
        items.append({"PK": s(f"USER#{p}"), "SK": s(f"FOLLOWS#{q}"),
                      "GSI1PK": s(f"USER#{q}"), "GSI1SK": s(f"FOLLOWER#{p}"),
                      "Since": s(iso(1767225600 + rnd.below(300) * 86400))})
    steps = [
        create_table("Social", key_schema("PK", "SK"),
                     attr_defs(PK="S", SK="S", GSI1PK="S", GSI1SK="S"),
                     [gsi("GSI1", "GSI1PK", "GSI1SK")]),
        *batches("Social", items),
    ]
    return dataset(
        "social",
        "Social graph",
        "Seed 004's adjacency list: USER#alice / FOLLOWS#bob answers 'who does Alice follow?' "
        "with a Query on the table; GSI1 (USER#bob / FOLLOWER#alice) answers 'who follows Bob?'.",
        ["Social"],
        steps,
    )


# --- IoT time series with TTL (seed 004) ------------------------------------------------------

IOT_CLOCK = 1767225600  # the instant the readings were generated against (2026-01-01T00:00:00Z)


def iot():
    rnd = Lcg(1234)
    items = []
    for d in range(6):
        device = f"sensor-{d + 1:02d}"
        temp = 18.0 + d
        for r in range(96):  # every 30 minutes over the last 48 hours
            at = IOT_CLOCK - (96 - r) * 1800
            temp += (rnd.below(11) - 5) / 10
            items.append({"DeviceId": s(device), "Timestamp": s(iso(at)),
                          "Temperature": n(f"{temp:.1f}"),
                          "Humidity": n(40 + rnd.below(40)),
                          # Readings are kept for 7 days after they were taken.
                          "ExpiresAt": n(at + 7 * 86400)})
    steps = [
        create_table("SensorReadings", key_schema("DeviceId", "Timestamp"),
                     attr_defs(DeviceId="S", Timestamp="S")),
        {"op": "UpdateTimeToLive", "request": {
            "TableName": "SensorReadings",
            "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ExpiresAt"}}},
        *batches("SensorReadings", items),
    ]
    return dataset(
        "iot",
        "IoT time series with TTL",
        "Six sensors, a reading every 30 minutes for 48 hours (DeviceId / ISO-8601 Timestamp, "
        "so a Query with BETWEEN reads a time range). ExpiresAt is a TTL attribute seven days "
        "after each reading; the loader moves it so the readings expire seven days after the "
        "moment they are loaded.",
        ["SensorReadings"],
        steps,
        time_attributes={"clock": IOT_CLOCK, "attributes": ["ExpiresAt"]},
    )


# --- 10,000 items for paging and scans --------------------------------------------------------

def paging():
    rnd = Lcg(10000)
    items = []
    regions = ["north", "south", "east", "west"]
    for i in range(10000):
        items.append({
            "CustomerId": s(f"C{i // 10:04d}"),
            "OrderId": s(f"O{i:05d}"),
            "Region": s(regions[rnd.below(4)]),
            "Amount": n(rnd.below(100000) / 100),
            "Status": s(rnd.pick(["OPEN", "PAID", "SHIPPED", "RETURNED"])),
            # About 200 bytes of text so a Scan meets the 1 MB page limit after ~5,000 items.
            "Notes": s(" ".join(rnd.pick(WORDS).lower() for _ in range(24))),
        })
    steps = [
        create_table("Orders", key_schema("CustomerId", "OrderId"),
                     attr_defs(CustomerId="S", OrderId="S")),
        *batches("Orders", items),
    ]
    return dataset(
        "paging",
        "10,000 orders for paging and scans",
        "10,000 orders of about 250 bytes across 1,000 customers: a Scan returns them in "
        "several 1 MB pages with LastEvaluatedKey, and parallel Scan segments split them.",
        ["Orders"],
        steps,
    )


DATASETS = [music, forum, ecommerce, social, iot, paging]


def render():
    files = {}
    index = []
    for make in DATASETS:
        doc = make()
        name = f"{doc['id']}.json"
        files[name] = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
        index.append({"id": doc["id"], "title": doc["title"], "description": doc["description"],
                      "tables": doc["tables"], "items": doc["items"], "file": name,
                      "bytes": len(files[name].encode())})
    files["index.json"] = json.dumps({"format": FORMAT + "-index", "version": 1, "datasets": index},
                                     indent=2, ensure_ascii=False) + "\n"
    return files


def main():
    files = render()
    if "--check" in sys.argv:
        stale = [f for f, text in files.items()
                 if not (OUT / f).exists() or (OUT / f).read_text() != text]
        if stale:
            print("static/datasets/ is stale, run scripts/datasets.py:", ", ".join(stale))
            return 1
        print(f"static/datasets/: {len(files)} files up to date")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for f, text in files.items():
        (OUT / f).write_text(text)
    for entry in json.loads(files["index.json"])["datasets"]:
        print(f"{entry['file']:16} {entry['items']:6} items {entry['bytes']:9} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
