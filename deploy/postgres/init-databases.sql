-- Runs once, on the first start of the postgres container with an empty data volume
-- (mounted into /docker-entrypoint-initdb.d/ by docker-compose.yml; the image runs it with psql
-- as the superuser, with ON_ERROR_STOP, so any failure aborts the initialisation).
--
-- Creates the application role `moonshot` and one database per service, each owned by it, so that
-- each service's Flyway migrations can create their tables in the database's public schema.
-- The role's password is read from the container's environment variable MOONSHOT_DB_PASSWORD
-- (psql's \getenv, psql 15 or later); if it is unset, :'moonshot_password' stays unexpanded and the
-- CREATE ROLE fails, which stops the initialisation instead of creating a role without a password.
--
-- To change the password later, ALTER ROLE by hand: this script does not run again on a volume
-- that already holds a database.

\getenv moonshot_password MOONSHOT_DB_PASSWORD

CREATE ROLE moonshot WITH LOGIN PASSWORD :'moonshot_password';

CREATE DATABASE inventory OWNER moonshot;
CREATE DATABASE scheduler OWNER moonshot;
CREATE DATABASE executor OWNER moonshot;
CREATE DATABASE power OWNER moonshot;

-- Only the owner (and the superuser) may connect to the services' databases.
REVOKE ALL ON DATABASE inventory FROM PUBLIC;
REVOKE ALL ON DATABASE scheduler FROM PUBLIC;
REVOKE ALL ON DATABASE executor FROM PUBLIC;
REVOKE ALL ON DATABASE power FROM PUBLIC;
