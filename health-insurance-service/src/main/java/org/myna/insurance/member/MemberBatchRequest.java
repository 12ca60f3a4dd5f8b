package org.myna.insurance.member;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of a bulk enrolment. Members stay raw JSON here so that each is validated, and reported, on its own. */
public record MemberBatchRequest(@Schema(type = SchemaType.ARRAY, implementation = EnrolMemberRequest.class) List<JsonNode> members) {
}
