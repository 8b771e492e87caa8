-- The seeded products are the demo's: a supplier restocks each to its seed level when an order finds too few, so
-- the README's order demo, k6 and the chaos suite can run for hours. A product created through the API has no
-- restock level (0): it sells out and answers 409, as a real shop's item does.
ALTER TABLE products ADD COLUMN restock_level INT NOT NULL DEFAULT 0;
UPDATE products SET restock_level = 500 WHERE name = 'Foo Widget';
UPDATE products SET restock_level = 300 WHERE name = 'Bar Gadget';
UPDATE products SET restock_level = 1000 WHERE name = 'Baz Gizmo';
UPDATE products SET restock_level = 120 WHERE name = 'Qux Sprocket';
UPDATE products SET restock_level = 800 WHERE name = 'Quux Doohickey';
UPDATE products SET restock_level = 40 WHERE name = 'Corge Thingamajig';
UPDATE products SET restock_level = 25 WHERE name = 'Grault Contraption';
UPDATE products SET restock_level = 2000 WHERE name = 'Garply Whatsit';
