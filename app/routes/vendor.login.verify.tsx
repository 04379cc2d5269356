import type { Route } from "./+types/vendor.login.verify";
import { clientAddress } from "~/lib/client-address.server";
import { TwoFactorVerifyPage } from "~/auth/components/two-factor";
import { verifyPageAction, verifyPageLoader } from "~/auth/two-factor/pages.server";

const WHERE = { kind: "vendor", home: "/vendor", login: "/vendor/login", enrol: "/vendor/two-factor" } as const;

export const loader = ({ request }: Route.LoaderArgs) => verifyPageLoader(request, WHERE);
export const action = ({ request, context }: Route.ActionArgs) =>
  verifyPageAction(request, WHERE, clientAddress(context));

export const meta: Route.MetaFunction = () => [{ title: "2段階認証 | 窓口 ベンダーコンソール" }];

export default function VendorVerify({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <TwoFactorVerifyPage
      eyebrow="窓口 ベンダーコンソール"
      next={loaderData.next}
      error={actionData?.error}
      cancelHref="/vendor/login"
    />
  );
}
