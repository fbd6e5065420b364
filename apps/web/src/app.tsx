import { lazy, type ReactNode, Suspense } from "react";
import { Route, Routes } from "react-router";
import { Layout } from "./components/layout.tsx";
import { Loading } from "./components/ui.tsx";
import { RequireRole } from "./lib/auth.tsx";
import { type RouteTitle, useRouteTitle } from "./lib/page-title.ts";
import { AccountPage } from "./pages/account.tsx";
import {
  ForgotPasswordPage,
  LoginPage,
  RegisterPage,
  ResetPasswordPage,
  VerifyEmailPage,
} from "./pages/auth.tsx";
import { CheckoutPage } from "./pages/checkout.tsx";
import { EventPage } from "./pages/event-page.tsx";
import { EventsListPage } from "./pages/events-list.tsx";
import { MyBookingsPage } from "./pages/my-bookings.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";
import { OrderPage } from "./pages/order-page.tsx";
import { UnsubscribePage } from "./pages/unsubscribe.tsx";

// Organizer and admin pages (charts, forms) load on demand: attendees never download them.
const named = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const organizerPages = () => import("./pages/organizer/index.ts");
const MyEventsPage = named(organizerPages, "MyEventsPage");
const NewEventPage = named(organizerPages, "NewEventPage");
const EditEventPage = named(organizerPages, "EditEventPage");
const ManageEventLayout = named(organizerPages, "ManageEventLayout");
const ManageOverview = named(organizerPages, "ManageOverview");
const AttendeesPage = named(organizerPages, "AttendeesPage");
const WaitlistAdminPage = named(organizerPages, "WaitlistAdminPage");
const CodesPage = named(organizerPages, "CodesPage");
const DoorPage = named(organizerPages, "DoorPage");
const MessagesPage = named(organizerPages, "MessagesPage");
const OrganizerSettingsPage = named(organizerPages, "OrganizerSettingsPage");
const VenuesPage = named(organizerPages, "VenuesPage");
const NewVenuePage = named(organizerPages, "NewVenuePage");
const AnalyticsPage = named(() => import("./pages/organizer/analytics.tsx"), "AnalyticsPage");
const AdminUsersPage = named(() => import("./pages/admin-users.tsx"), "AdminUsersPage");

const organizer = ["organizer", "admin"] as ("organizer" | "admin")[];

/** A route's page with its document title ("My bookings — Boxoffice"). */
function Titled({ title, children }: { title: RouteTitle; children: ReactNode }) {
  useRouteTitle(title);
  return <>{children}</>;
}

/** The page's own heading names it: an event's title. */
const fromHeading = (prefix?: string): RouteTitle =>
  prefix ? { heading: true, prefix } : { heading: true };

function page(title: RouteTitle, element: ReactNode, roles?: ("organizer" | "admin")[] | "user") {
  const guarded =
    roles === undefined ? (
      element
    ) : (
      <RequireRole roles={roles === "user" ? undefined : roles}>{element}</RequireRole>
    );
  return <Titled title={title}>{guarded}</Titled>;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={page("Upcoming events", <EventsListPage />)} />
          <Route path="events/:eventId" element={page(fromHeading(), <EventPage />)} />
          <Route path="login" element={page("Sign in", <LoginPage />)} />
          <Route path="register" element={page("Create an account", <RegisterPage />)} />
          <Route path="forgot-password" element={page("Forgot password", <ForgotPasswordPage />)} />
          <Route
            path="reset-password/:token"
            element={page("Choose a new password", <ResetPasswordPage />)}
          />
          <Route
            path="verify-email/:token"
            element={page("Verify your email", <VerifyEmailPage />)}
          />
          <Route path="checkout/:holdId" element={page("Checkout", <CheckoutPage />)} />
          <Route path="orders/:token" element={page(fromHeading("Order"), <OrderPage />)} />
          <Route path="unsubscribe/:token" element={page("Unsubscribe", <UnsubscribePage />)} />
          <Route path="bookings" element={page("My bookings", <MyBookingsPage />, "user")} />
          <Route path="account" element={page("Your account", <AccountPage />, "user")} />
          <Route path="organizer" element={page("My events", <MyEventsPage />, organizer)} />
          <Route
            path="organizer/events/new"
            element={page("New event", <NewEventPage />, organizer)}
          />
          <Route
            path="organizer/settings"
            element={page("Settings", <OrganizerSettingsPage />, organizer)}
          />
          <Route path="organizer/venues" element={page("Venues", <VenuesPage />, organizer)} />
          <Route
            path="organizer/venues/new"
            element={page("New venue", <NewVenuePage />, organizer)}
          />
          <Route
            path="organizer/events/:eventId"
            element={
              <RequireRole roles={organizer}>
                <ManageEventLayout />
              </RequireRole>
            }
          >
            <Route index element={page(fromHeading(), <ManageOverview />)} />
            <Route path="edit" element={page(fromHeading("Edit"), <EditEventPage />)} />
            <Route path="attendees" element={page(fromHeading("Attendees"), <AttendeesPage />)} />
            <Route path="waitlist" element={page(fromHeading("Waitlist"), <WaitlistAdminPage />)} />
            <Route path="codes" element={page(fromHeading("Codes"), <CodesPage />)} />
            <Route path="messages" element={page(fromHeading("Messages"), <MessagesPage />)} />
            <Route path="door" element={page(fromHeading("Door"), <DoorPage />)} />
            <Route path="analytics" element={page(fromHeading("Analytics"), <AnalyticsPage />)} />
          </Route>
          <Route
            path="admin/users"
            element={page("Users and roles", <AdminUsersPage />, ["admin"])}
          />
          <Route path="*" element={page("Page not found", <NotFoundPage />)} />
        </Route>
      </Routes>
    </Suspense>
  );
}
