package dev.rlhf.backend.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Maps every failure to an RFC 7807 body. Nothing a client sends may produce a stack trace or a class
 * name in the response; unexpected failures are logged here with an id the response repeats.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String UNIQUE_VIOLATION = "23505";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.title(), e.getMessage(), uri, e.errors());
    }

    /**
     * A value inside the body that breaks a constraint is unprocessable (422), like the services' own checks; a
     * query or path parameter, or a body that is missing altogether, makes the request itself bad (400).
     */
    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        boolean parameterItself = e.getConstraintViolations().stream().anyMatch(ProblemMappers::isOnParameterItself);
        return respond(parameterItself ? 400 : 422, "Invalid input", detail, uri, errors);
    }

    private static boolean isOnParameterItself(ConstraintViolation<?> violation) {
        Path.Node last = null;
        for (Path.Node node : violation.getPropertyPath()) {
            last = node;
        }
        return last != null && last.getKind() == ElementKind.PARAMETER;
    }

    /**
     * {@code create.input.form.criteria[1].<list element>} → {@code form.criteria[1]}: the client knows its body's
     * fields and its parameters, not our method names or the validator's node names.
     */
    private static String fieldName(ConstraintViolation<?> violation) {
        String parameter = "";
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> { }
                case PARAMETER -> parameter = node.getName();
                default -> {
                    if (node.isInIterable()) {
                        Object position = node.getIndex() != null ? node.getIndex() : node.getKey();
                        field.append('[').append(position == null ? "" : position).append(']');
                    }
                    if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                        field.append(field.isEmpty() ? "" : ".").append(node.getName());
                    }
                }
            }
        }
        return field.isEmpty() ? parameter : field.toString();
    }

    @ServerExceptionMapper({InvalidFormatException.class, MismatchedInputException.class,
            UnrecognizedPropertyException.class, JsonProcessingException.class})
    public Response unreadableJson(Exception e, UriInfo uri) {
        return respond(400, "Malformed JSON", JsonErrors.describe(e), uri, null);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return respond(401, "Unauthorized", "log in first: send the session cookie or a bearer token", uri, null);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return respond(401, "Unauthorized", "the session is unknown or has expired: log in again", uri, null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, "Forbidden", "your account's roles do not allow this", uri, null);
    }

    @ServerExceptionMapper
    public Response optimisticLock(OptimisticLockException e, UriInfo uri) {
        return respond(409, "Conflict", "someone else changed this at the same time: reload and retry", uri, null);
    }

    /** The database is unreachable or saturated: nothing was stored, and the client may retry. */
    private static Response databaseUnavailable(Throwable e, UriInfo uri) {
        LOG.warnf("database unavailable on %s: %s", path(uri), e.getMessage());
        return Response.fromResponse(respond(503, "Service unavailable",
                "the database is busy or unreachable; nothing was stored, retry shortly", uri, null))
                .header("Retry-After", "1").build();
    }

    /** Connection failures (SQLState class 08) and an exhausted connection pool. */
    private static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && ((sql.getSQLState() != null && sql.getSQLState().startsWith("08"))
                    || (sql.getMessage() != null && sql.getMessage().contains("acquisition timeout")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A value PostgreSQL refuses as data (SQLState class 22: a NUL in text, a number out of range...). Input is
     * refused where it is read when we know the rule; this answers for the rules only the database knows.
     */
    private static Response invalidData(SQLException e, UriInfo uri) {
        LOG.warnf("the database refused a value on %s: %s", path(uri), e.getMessage());
        return respond(400, "Bad request", "a value in this request is not valid data for the database "
                + "(for example text with a NUL character): correct it and send the request again", uri, null);
    }

    /** The first SQLException in the cause chain that says what went wrong, as Hibernate and Narayana wrap it. */
    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql;
            }
        }
        return null;
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource: " + uri.getPath();
            case 405 -> "method not allowed on " + uri.getPath();
            case 406 -> "cannot produce the requested media type";
            case 413 -> "request body too large";
            case 415 -> "unsupported media type: send application/json";
            default -> e.getMessage();
        };
        if (status >= 500) {
            return unexpected(e, uri);
        }
        return respond(status, title, detail, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (e instanceof ProblemException p) {
            return problem(p, uri);
        }
        if (isDatabaseUnavailable(e)) {
            return databaseUnavailable(e, uri);
        }
        SQLException sql = sqlCause(e);
        if (sql != null && sql.getSQLState().startsWith("22")) {
            return invalidData(sql, uri);
        }
        if (sql != null && sql.getSQLState().equals(UNIQUE_VIOLATION)) {
            // The services check uniqueness first; a request at the same moment can still pass that check.
            return respond(409, "Conflict", "a value that must be unique is already taken, perhaps by a request "
                    + "made at the same moment: reload and retry", uri, null);
        }
        String incident = java.util.UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected failure %s on %s", incident, path(uri));
        return respond(500, "Internal error", "the server failed unexpectedly (incident " + incident + ")", uri, null);
    }

    private static String path(UriInfo uri) {
        return uri == null ? "(no request)" : uri.getPath();
    }

    static Response respond(int status, String title, String detail, UriInfo uri, List<Problem.FieldError> errors) {
        Problem body = new Problem("about:blank", title, status, detail, uri == null ? null : uri.getPath(),
                errors == null || errors.isEmpty() ? null : errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
