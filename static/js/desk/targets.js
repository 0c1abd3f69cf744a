/* Which check-in an undo names, as pure functions (node's test runner imports them). A check-in
   the page listed from the server is named by its row id; one this desk made is named by the
   client id of the action that made it and, for a person, the attendee: one household action
   admits several people, so the action alone does not say which of them to undo. */

/* The body fields of an undo for a remembered row {checkInId} or {clientId, attendeeId}. */
export function undoTarget(row) {
  if (row.checkInId) {
    return {check_in_id: row.checkInId};
  }
  return {target_client_id: row.clientId, ...(row.attendeeId ? {target_attendee_id: row.attendeeId} : {})};
}

/* The rows to remember after a household check-in: one per person it admitted. Online the
   server admits the chosen people in id order and names those it admitted (someone already
   in is skipped), its ``attendees`` give each person's name; offline ``marks`` are the
   admitted ids in the order of ``first_names``. */
export function householdRows({clientId, chosen, answer, online}) {
  const order = online ? [...chosen].sort((a, b) => a - b) : answer.marks || [];
  const names = new Map((online && answer.attendees ? answer.attendees : []).map((a) => [a.id, a.first_name || ""]));
  const left = [...(answer.first_names || [])];
  const rows = [];
  for (const id of order) {
    const name = names.has(id) ? names.get(id) : left[0];
    const at = left.indexOf(name);
    if (at < 0) {
      continue; // not admitted by this action
    }
    left.splice(at, 1);
    rows.push({label: name, clientId, attendeeId: id});
  }
  return rows;
}
