import { data } from "react-router";

// Catch-all: unknown URLs get the root 404 page (with a real 404 status).
export function loader() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return null;
}
