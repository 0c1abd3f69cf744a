/* The desk page this script runs on: the #desk element (API URLs and state in its data-*
   attributes), the words it may show (#desk-texts, so the desk speaks the page's language),
   and small DOM helpers. */

export const desk = document.getElementById("desk");
export const T = JSON.parse(document.getElementById("desk-texts").textContent);
export const $ = (id) => document.getElementById(id);

/* "{n} not synced" with {n: 3}: placeholders without a value stay as they are. */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : `{${key}}`));
}

/* An element with attributes (or properties) and children; false, null and undefined are left out. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (key === "text") {
      node.textContent = value;
    } else if (key.includes("-") || ["type", "name", "value", "for", "id", "role", "maxlength"].includes(key)) {
      node.setAttribute(key, value === true ? "" : value);
    } else {
      node[key] = value;
    }
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

/* A person's first name, with the birth year that tells two of one name apart: "Ahmed f. 2015". */
export function personName(person, className = "person-name") {
  return el("span", {className}, person.first_name || "",
    person.birth_year ? el("span", {className: "person-born", text: ` ${fill(T.born, {year: person.birth_year})}`}) : null);
}

/* Consecutive people of one booking (the server sends a household together), as lists. */
export function households(people) {
  const groups = [];
  for (const person of people) {
    const last = groups[groups.length - 1];
    if (last && person.booking_id !== null && last[0].booking_id === person.booking_id) {
      last.push(person);
    } else {
      groups.push([person]);
    }
  }
  return groups;
}

/* "14:05" in the page's language, or a dash. */
export function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString(document.documentElement.lang || undefined,
    {hour: "2-digit", minute: "2-digit"}) : "–";
}

/* Counts an event on #desk (data-answered, data-ignored): what tests wait for. */
export function bump(name) {
  desk.dataset[name] = String(Number(desk.dataset[name] || 0) + 1);
}
