import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <div className="py-16 text-center">
      <h1 className="mb-2 text-2xl font-bold">Page not found</h1>
      <p className="mb-4 text-slate-700">There is nothing at this address.</p>
      <Link to="/" className="font-medium text-indigo-700 underline">
        Browse events
      </Link>
    </div>
  );
}
