package com.foobar.webapp.web;

import com.foobar.webapp.shop.Product;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Set;

/** {@code GET /products/{id}}: one product with its order form. */
final class ProductPageServlet extends Endpoint {

    private static final long serialVersionUID = 1L;

    ProductPageServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET");
    }

    @Override
    boolean html(HttpServletRequest req) {
        return true;
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        Visitor visitor = visitor(req, resp);
        String path = req.getPathInfo();
        long id = idFrom(path == null ? null : path.substring(1));
        Product product = served(resp, services.shop().findProduct(visitor.token(), id))
                .orElseThrow(() -> new ResourceNotFoundException("product " + id + " does not exist"));
        sendPage(req, resp, product.name(), services.pages().product(product));
    }
}
