import json
import os

settings = json.load(open("config/settings.json"))


def stock_report(items):
    return "\n".join(f"{name}: {count}" for name, count in sorted(items.items()))


if __name__ == "__main__":
    print(f"inventory-service on port {settings['port']}, database {os.environ.get('DATABASE_URL', 'unset')[:11]}…")
