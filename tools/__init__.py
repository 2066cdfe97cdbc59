"""Developer tools: fixture rendering (render_fixtures) and scan simulation (scan). Not part of the package."""
