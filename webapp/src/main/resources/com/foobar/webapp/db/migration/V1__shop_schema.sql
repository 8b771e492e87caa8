-- The shop: a product catalogue and the orders placed against it.
CREATE TABLE products (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(2000) NOT NULL DEFAULT '',
    price_cents BIGINT        NOT NULL,
    stock       INT           NOT NULL,
    created_at  TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT products_price_not_negative CHECK (price_cents >= 0),
    CONSTRAINT products_stock_not_negative CHECK (stock >= 0),
    KEY products_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE orders (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    visitor_id       CHAR(36)     NOT NULL,
    product_id       BIGINT       NOT NULL,
    quantity         INT          NOT NULL,
    unit_price_cents BIGINT       NOT NULL,
    total_cents      BIGINT       NOT NULL,
    served_by        VARCHAR(64)  NOT NULL,
    created_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT orders_quantity_positive CHECK (quantity > 0),
    CONSTRAINT orders_product FOREIGN KEY (product_id) REFERENCES products (id),
    KEY orders_visitor (visitor_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
