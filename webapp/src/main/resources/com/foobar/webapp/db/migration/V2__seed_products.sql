-- A few products so that a fresh shop has something to show.
INSERT INTO products (name, description, price_cents, stock) VALUES
    ('Foo Widget', 'The classic foo: sturdy, simple, and it never blocks.', 1999, 500),
    ('Bar Gadget', 'A bar for every occasion, with a round-robin finish.', 2950, 300),
    ('Baz Gizmo', 'Small, fast, and replicated for your peace of mind.', 899, 1000),
    ('Qux Sprocket', 'Keeps the gears of a distributed system turning.', 4500, 120),
    ('Quux Doohickey', 'Health-checked twice a second. Never goes stale.', 1250, 800),
    ('Corge Thingamajig', 'Read from the replica, written to the primary.', 7999, 40),
    ('Grault Contraption', 'Ships with a consistency token at no extra cost.', 15900, 25),
    ('Garply Whatsit', 'Survives a rolling restart without a single 5xx.', 499, 2000);
