import { redirect } from "react-router";

/** The old "create city" page: a city is now created as step 1 of the onboarding wizard. */
export function loader() {
  return redirect("/vendor/onboarding/new");
}
