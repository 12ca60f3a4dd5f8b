package org.myna.insurance.member;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** A page of a bulk enrolment. Members stay raw JSON here so that each is validated, and reported, on its own. */
public record MemberBatchRequest(List<JsonNode> members) {
}
