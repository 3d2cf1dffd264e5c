package org.listkeeper.webadmin;

import static org.listkeeper.webadmin.RouteSupport.LIST;
import static org.listkeeper.webadmin.RouteSupport.guarded;
import static org.listkeeper.webadmin.RouteSupport.json;
import static org.listkeeper.webadmin.RouteSupport.listAddress;
import static org.listkeeper.webadmin.RouteSupport.noContent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.listkeeper.InvalidValueException;
import org.listkeeper.digest.DigestIssue;
import org.listkeeper.webadmin.dto.DigestIssueDTO;
import org.listkeeper.webadmin.service.DigestService;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * A list's digest over James WebAdmin, under {@code /lists/{list}/digest}: {@code GET} shows the open issue and the
 * latest ones; {@code POST ?action=send} closes the open issue now and hands it to delivery ({@code 202} with the
 * issue; {@code 204} when it has no post). Listed in {@code webadmin.properties} beside {@link ListRoutes}.
 */
public final class DigestRoutes implements Routes {
    private static final String BASE = ListRoutes.BASE_PATH + "/" + LIST + "/digest";

    private final DigestService digests;
    private final JsonTransformer jsonTransformer;

    @Inject
    public DigestRoutes(DigestService digests, JsonTransformer jsonTransformer) {
        this.digests = digests;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return ListRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, guarded(this::show), jsonTransformer);
        service.post(BASE, guarded(this::send), jsonTransformer);
    }

    private Object show(Request request, Response response) {
        DigestService.Overview overview = digests.overview(listAddress(request));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("digestsEnabled", overview.list().digestsEnabled());
        body.put("open", overview.open().map(DigestIssueDTO::of).orElse(null));
        body.put("recent", overview.recent().stream().map(DigestIssueDTO::of).collect(Collectors.toList()));
        return json(response, body);
    }

    private Object send(Request request, Response response) {
        String action = request.queryParams("action");
        if (!"send".equals(action)) {
            throw new InvalidValueException("action", String.valueOf(action), "expected send");
        }
        Optional<DigestIssue> sent = digests.sendNow(listAddress(request));
        if (sent.isEmpty()) {
            return noContent(response);
        }
        response.status(202);
        return json(response, DigestIssueDTO.of(sent.get()));
    }
}
