package com.foobar.webapp.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.foobar.webapp.shop.NewProduct;
import com.foobar.webapp.shop.Product;
import com.foobar.webapp.shop.ProductPage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Set;

/** {@code GET /api/products[?q=&page=&size=]}, {@code POST /api/products}, {@code GET /api/products/{id}}. */
final class ProductsApiServlet extends Endpoint {

    private static final long serialVersionUID = 1L;

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_PAGE = 100_000;
    static final int MAX_QUERY_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 2000;
    static final long MAX_PRICE_CENTS = 100_000_000L;
    static final long MAX_STOCK = 1_000_000L;
    private static final Set<String> FIELDS = Set.of("name", "description", "price_cents", "stock");

    ProductsApiServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET", "POST");
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        String path = req.getPathInfo();
        Visitor visitor = visitor(req, resp);
        if (path == null || path.equals("/")) {
            String q = Params.text(req, "q", MAX_QUERY_LENGTH);
            int page = Params.intParam(req, "page", 1, 1, MAX_PAGE);
            int size = Params.intParam(req, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
            ProductPage result = served(resp, services.shop().listProducts(visitor.token(), q, page, size));
            sendJson(resp, result);
            return;
        }
        long id = idFrom(path.substring(1));
        Product product = served(resp, services.shop().findProduct(visitor.token(), id))
                .orElseThrow(() -> new ResourceNotFoundException("product " + id + " does not exist"));
        sendJson(resp, product);
    }

    @Override
    void post(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        String path = req.getPathInfo();
        if (path != null && !path.equals("/")) {
            resp.setHeader("Allow", "GET, HEAD, OPTIONS");
            throw new MethodNotAllowedException("POST is not allowed here; use GET, HEAD, OPTIONS");
        }
        visitor(req, resp);
        JsonNode body = Json.readObject(req.getContentType(), req.getInputStream());
        Json.rejectUnknownFields(body, FIELDS);
        NewProduct p = new NewProduct(
                Json.requiredString(body, "name", MAX_NAME_LENGTH),
                Json.optionalString(body, "description", MAX_DESCRIPTION_LENGTH),
                Json.requiredLong(body, "price_cents", 0, MAX_PRICE_CENTS),
                (int) Json.requiredLong(body, "stock", 0, MAX_STOCK));
        Product created = served(resp, services.shop().createProduct(p));
        services.metrics().productCreated();
        resp.setStatus(HttpServletResponse.SC_CREATED);
        resp.setHeader("Location", "/api/products/" + created.id());
        sendJson(resp, created);
    }
}
