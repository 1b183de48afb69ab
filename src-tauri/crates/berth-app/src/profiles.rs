//! Profiles: list, check, save (secrets to the keychain only), remove, regions.

use berth_core::model::{AppProfileInput, FieldProblem, ProfileInfo, ProfileList, RegionInfo};
use berth_core::Result;

use crate::Session;

impl Session {
    pub async fn list_profiles(&self) -> ProfileList {
        self.profiles().list().await
    }

    /// The form's problems, field by field, as the user types.
    pub fn check_profile(&self, profile: &AppProfileInput) -> Vec<FieldProblem> {
        self.profiles().check(profile)
    }

    /// Save a Berth profile (its keys in the OS keychain); the clients are built anew.
    pub async fn save_profile(&self, profile: AppProfileInput) -> Result<ProfileInfo> {
        let saved = self.profiles().save(profile).await?;
        self.reload().await;
        Ok(saved)
    }

    /// Remove a Berth profile and its keychain entry.
    pub async fn remove_profile(&self, name: &str) -> Result<()> {
        self.profiles().remove(name).await?;
        self.reload().await;
        Ok(())
    }

    /// Whether Berth holds a profile of this name.
    pub async fn has_app_profile(&self, name: &str) -> bool {
        let id = format!("app:{name}");
        self.profiles().list().await.profiles.iter().any(|p| p.id == id)
    }

    pub fn regions(&self) -> Vec<RegionInfo> {
        berth_aws::regions::all().to_vec()
    }
}
